// The configuration a command uses on this machine before the registry policy (agent/policy lays that over it for
// `run`, `status` and `config print`): defaults < install.yaml (the MSI's properties) < the config file, key by
// key. The file counts only where it differs from the bundled config/agent.yaml: the MSI installs that file as
// agent.yaml, which would otherwise hide every install property. One rule for every command (config/README.md).
import { readFileSync } from 'node:fs';
import { dirname, join, win32 } from 'node:path';
import type { AgentConfig } from './agent-config.ts';
import { ConfigError } from './config-error.ts';
import { applyInstallOverlay, INSTALL_OVERLAY_FILE, parseInstallOverlay } from './install-overlay.ts';
import { mergeConfigLayers, withoutDefaults } from './layered-config.ts';
import type { ConfigLayer } from './layered-config.ts';
import { DEFAULT_CONFIG_URL, loadConfig, parseConfigLayer } from './load-config.ts';
import type { EnvLookup } from './load-config.ts';

/** A file's text, or null when it does not exist or cannot be read. */
export type ReadTextOrNull = (path: string) => string | null;

/** install.yaml beside the config file, in the file's own path style. */
export function installOverlayPath(configPath: string): string {
  return /^[A-Za-z]:\\/.test(configPath)
    ? win32.join(win32.dirname(configPath), INSTALL_OVERLAY_FILE)
    : join(dirname(configPath), INSTALL_OVERLAY_FILE);
}

/** The layers below the policy, lowest first. Throws ConfigError when the file or install.yaml is not usable. */
export function localConfigLayers(configPath: string | undefined, env: EnvLookup, readText: ReadTextOrNull): ConfigLayer[] {
  const defaults = yamlLayer('default', '<embedded default>', readFileSync(DEFAULT_CONFIG_URL, 'utf8'), env);
  if (configPath === undefined) return [defaults];
  const layers: ConfigLayer[] = [defaults];
  const install = installOverlayPath(configPath);
  const installText = readText(install);
  if (installText !== null) layers.push({ origin: 'install', name: install, data: applyInstallOverlay({}, parseInstallOverlay(installText, install)) });
  const file = yamlLayer('file', configPath, readText(configPath), env);
  layers.push({ ...file, data: withoutDefaults(file.data, defaults.data) });
  return layers;
}

/** The file with its install.yaml neighbour; without one, exactly loadConfig (line numbers in every error). */
export function loadLocalConfig(configPath: string | undefined, env?: EnvLookup, readText: ReadTextOrNull = readTextOrNull): AgentConfig {
  if (configPath === undefined || readText(installOverlayPath(configPath)) === null) return loadConfig(configPath, env);
  const lookup: EnvLookup = env ?? ((name) => process.env[name]);
  return mergeConfigLayers(localConfigLayers(configPath, lookup, readText), lookup).config;
}

function yamlLayer(origin: 'default' | 'file', name: string, text: string | null, env: EnvLookup): ConfigLayer {
  if (text === null) throw new ConfigError(name, [{ path: '', line: null, message: 'cannot read the file' }]);
  return { origin, name, data: parseConfigLayer(text, { file: name, env }).raw };
}

function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
