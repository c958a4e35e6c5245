// The launcher's first check, in plain JS so it runs on any Node. The agent is TypeScript run by Node's own type
// stripping: Node 20 lacks it and fails with ERR_UNKNOWN_FILE_EXTENSION, naming no cause. Nodes 22.18+ and 23.6+
// have it, but the agent is tested and shipped on Node 24 only, so anything older is refused by policy.
export const REQUIRED_NODE_MAJOR = 24;

/**
 * One line saying why this Node cannot run the agent, or null when it can.
 * @param {string} version process.version, e.g. "v20.20.2"
 * @param {string} execPath the running node binary
 * @returns {string | null}
 */
export function nodeVersionProblem(version, execPath) {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (Number.isInteger(major) && major >= REQUIRED_NODE_MAJOR) return null;
  return (
    `wfp-agent: needs Node.js ${REQUIRED_NODE_MAJOR} or later, but ${execPath} is ${version}; ` +
    `run it with the repo's pinned Node (npx wfp-agent, npm start, or node_modules/.bin/node after npm ci)`
  );
}
