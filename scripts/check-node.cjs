// CommonJS on purpose: it must parse and run on any Node, so that an old Node gets a clear message.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    `Parapet needs Node.js >= 22.13 (Hardhat 3 requires it); this is Node ${process.versions.node}.\n` +
      "Run `./npmw install` and `./npmw run demo` instead: ./npmw fetches Node 22 into ~/.cache/parapet-node once " +
      "and runs npm with it. Or install Node 22 yourself and put it first on PATH.",
  );
  process.exit(1);
}
