// Filter catalog memory and speed: `node --expose-gc test/bench/filters.bench.ts [N]`.
// Reads the real zh-CN snapshot when ../shared/samples is present, then a generated snapshot of N filters
// (default 50,000; rule names repeated on 4 layers each, as the firewall does) written to a temp file.
// Prints parse time, retained heap (after GC) and bytes per filter. Not run by npm test.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createFilterCatalog, readFilterSnapshotFile } from '../../agent/enrich/index.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'wfp-bench-'));

function measure(label: string, path: string): void {
  gc!();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const snap = readFilterSnapshotFile(path);
  if (!snap.ok) throw new Error(snap.detail);
  const catalog = createFilterCatalog();
  catalog.replaceSnapshot(snap.value);
  const ms = performance.now() - t0;
  gc!();
  const retained = process.memoryUsage().heapUsed - before;
  const n = catalog.status().size;
  const mb = (readFileSync(path).length / 1e6).toFixed(1);
  console.log(
    `${label}: ${n} filters, ${mb} MB XML, parse+index ${ms.toFixed(0)} ms (${((n / ms) * 1000).toFixed(0)} filters/s), ` +
      `retained ${(retained / 1e6).toFixed(1)} MB (${(retained / n).toFixed(0)} B/filter), peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
  );
  if (catalog.lookup(snap.value.filters[0]!.filterId).status !== 'found') throw new Error('lookup failed');
}

const real = fileURLToPath(new URL('../../../shared/samples/netsh-wfp-filters/ldoubil_AstralWfp/filters.xml.gz', import.meta.url));
if (existsSync(real)) {
  const path = join(dir, 'zh-cn.xml');
  writeFileSync(path, gunzipSync(readFileSync(real)));
  measure('real zh-CN snapshot', path);
}

const count = Number(process.argv[2] ?? 50_000);
const layers = ['FWPM_LAYER_ALE_AUTH_CONNECT_V4', 'FWPM_LAYER_ALE_AUTH_CONNECT_V6', 'FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4', 'FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V6'];
const parts: string[] = ['\ufeff<?xml version="1.0" encoding="UTF-8"?>\r\n<wfpdiag>\r\n\t<filters>\r\n'];
for (let i = 0; i < count; i++) {
  const rule = Math.floor(i / 4);
  parts.push(
    `\t\t<item>\r\n\t\t\t<filterKey>{${String(i).padStart(8, '0')}-0000-4000-8000-000000000000}</filterKey>\r\n` +
      `\t\t\t<displayData>\r\n\t\t\t\t<name>Generated rule ${rule}</name>\r\n\t\t\t\t<description>Generated rule ${rule} description</description>\r\n\t\t\t</displayData>\r\n` +
      `\t\t\t<flags numItems="1">\r\n\t\t\t\t<item>FWPM_FILTER_FLAG_INDEXED</item>\r\n\t\t\t</flags>\r\n` +
      `\t\t\t<providerKey>FWPM_PROVIDER_MPSSVC_WF</providerKey>\r\n\t\t\t<layerKey>${layers[i % 4]}</layerKey>\r\n\t\t\t<subLayerKey>FWPM_SUBLAYER_MPSSVC_WF</subLayerKey>\r\n` +
      `\t\t\t<weight>\r\n\t\t\t\t<type>FWP_UINT8</type>\r\n\t\t\t\t<uint8>9</uint8>\r\n\t\t\t</weight>\r\n` +
      `\t\t\t<filterCondition numItems="2">\r\n\t\t\t\t<item>\r\n\t\t\t\t\t<fieldKey>FWPM_CONDITION_IP_PROTOCOL</fieldKey>\r\n\t\t\t\t\t<matchType>FWP_MATCH_EQUAL</matchType>\r\n\t\t\t\t\t<conditionValue>\r\n\t\t\t\t\t\t<type>FWP_UINT8</type>\r\n\t\t\t\t\t\t<uint8>6</uint8>\r\n\t\t\t\t\t</conditionValue>\r\n\t\t\t\t</item>\r\n` +
      `\t\t\t\t<item>\r\n\t\t\t\t\t<fieldKey>FWPM_CONDITION_IP_LOCAL_PORT</fieldKey>\r\n\t\t\t\t\t<matchType>FWP_MATCH_EQUAL</matchType>\r\n\t\t\t\t\t<conditionValue>\r\n\t\t\t\t\t\t<type>FWP_UINT16</type>\r\n\t\t\t\t\t\t<uint16>${rule % 65536}</uint16>\r\n\t\t\t\t\t</conditionValue>\r\n\t\t\t\t</item>\r\n\t\t\t</filterCondition>\r\n` +
      `\t\t\t<action>\r\n\t\t\t\t<type>FWP_ACTION_PERMIT</type>\r\n\t\t\t\t<filterType/>\r\n\t\t\t</action>\r\n\t\t\t<filterId>${100000 + i}</filterId>\r\n` +
      `\t\t\t<effectiveWeight>\r\n\t\t\t\t<type>FWP_UINT64</type>\r\n\t\t\t\t<uint64>${(9n << 60n) + BigInt(i)}</uint64>\r\n\t\t\t</effectiveWeight>\r\n\t\t</item>\r\n`,
  );
}
parts.push('\t</filters>\r\n\t<providers/>\r\n</wfpdiag>\r\n');
const generated = join(dir, 'generated.xml');
writeFileSync(generated, parts.join(''));
parts.length = 0;
measure(`generated ${count}`, generated);
