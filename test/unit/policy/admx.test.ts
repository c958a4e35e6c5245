// The ADMX/ADML pair an admin imports (Group Policy central store, Intune custom ADMX): well-formed, every string
// and presentation reference resolves, its own supportedOn, and every policy writes a registry value the agent
// reads (agent/policy/policy-settings.ts), with the same allowed values; and the agent reads nothing else.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { POLICY_SETTINGS } from '../../../agent/policy/index.ts';

interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly enum?: readonly string[];
}

const ADMX_PATH = new URL('../../../deploy/windows/policy/wfp-block-agent.admx', import.meta.url);
const ADML_PATH = new URL('../../../deploy/windows/policy/en-US/wfp-block-agent.adml', import.meta.url);
const admxText = readFileSync(ADMX_PATH, 'utf8');
const admlText = readFileSync(ADML_PATH, 'utf8');

type Node = Record<string, unknown>;
const ARRAYS = new Set(['policy', 'category', 'definition', 'string', 'presentation', 'item', 'text', 'enum', 'list', 'multiText', 'textBox', 'dropdownList', 'listBox', 'multiTextBox']);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ARRAYS.has(name) });
const admx = (parser.parse(admxText) as Node)['policyDefinitions'] as Node;
const adml = (parser.parse(admlText) as Node)['policyDefinitionResources'] as Node;

const arr = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v === undefined ? [] : [v as Node]);
const policies = arr((admx['policies'] as Node)['policy']);
const resources = adml['resources'] as Node;
const strings = new Map(arr((resources['stringTable'] as Node)['string']).map((s) => [String(s['@id']), String(s['#text'] ?? '')]));
const presentations = new Map(arr((resources['presentationTable'] as Node)['presentation']).map((p) => [String(p['@id']), p]));
const KEY = 'SOFTWARE\\Policies\\wfp-block-agent';

describe('ADMX/ADML', () => {
  it('both files are well-formed XML', () => {
    assert.equal(XMLValidator.validate(admxText), true);
    assert.equal(XMLValidator.validate(admlText), true);
  });

  it('every $(string.X) in the ADMX and every $(presentation.X) resolves in the ADML', () => {
    const stringRefs = [...admxText.matchAll(/\$\(string\.([^)]+)\)/g)].map((m) => m[1]!);
    assert.ok(stringRefs.length > 30);
    for (const id of stringRefs) assert.ok(strings.has(id) && strings.get(id) !== '', `string ${id}`);
    const presRefs = [...admxText.matchAll(/\$\(presentation\.([^)]+)\)/g)].map((m) => m[1]!);
    for (const id of presRefs) assert.ok(presentations.has(id), `presentation ${id}`);
    // Nothing unused in the ADML (a typo there would leave an element without its label).
    for (const id of presentations.keys()) assert.ok(presRefs.includes(id), `unused presentation ${id}`);
  });

  it('has its own supportedOn and categories, and every policy uses them', () => {
    const defs = arr(((admx['supportedOn'] as Node)['definitions'] as Node)['definition']).map((d) => String(d['@name']));
    assert.deepEqual(defs, ['SUPPORTED_WFPBLOCKAGENT_0_1']);
    const categories = arr((admx['categories'] as Node)['category']).map((c) => String(c['@name']));
    for (const p of policies) {
      assert.equal((p['supportedOn'] as Node)['@ref'], 'SUPPORTED_WFPBLOCKAGENT_0_1', String(p['@name']));
      assert.ok(categories.includes(String((p['parentCategory'] as Node)['@ref'])), String(p['@name']));
      assert.equal(p['@class'], 'Machine');
      assert.equal(p['@key'], KEY);
    }
    const ns = (admx['policyNamespaces'] as Node)['target'] as Node;
    assert.equal(ns['@namespace'], 'WfpBlockAgent.Policies.WfpBlockAgent');
  });

  it("each presentation's controls refer to the policy's element ids, one for one", () => {
    for (const p of policies) {
      const elements = (p['elements'] as Node | undefined) ?? {};
      const ids = ['text', 'enum', 'list', 'multiText'].flatMap((k) => arr(elements[k]).map((e) => String(e['@id']))).sort();
      const presRef = /^\$\(presentation\.(.+)\)$/.exec(String(p['@presentation'] ?? ''))?.[1];
      if (ids.length === 0) {
        assert.equal(presRef, undefined, `${String(p['@name'])} has no elements, so no presentation`);
        continue;
      }
      const pres = presentations.get(presRef ?? '')!;
      const refs = ['textBox', 'dropdownList', 'listBox', 'multiTextBox'].flatMap((k) => arr(pres[k]).map((c) => String(c['@refId']))).sort();
      assert.deepEqual(refs, ids, String(p['@name']));
    }
  });

  it("every policy's registry value is one the agent reads, with the same values, and the agent reads no other", () => {
    const written = new Map<string, { kind: string; values: string[] }>();
    for (const p of policies) {
      const elements = (p['elements'] as Node | undefined) ?? {};
      if (p['@valueName'] !== undefined) {
        assert.equal(((p['enabledValue'] as Node)['decimal'] as Node)['@value'], '1');
        assert.equal(((p['disabledValue'] as Node)['decimal'] as Node)['@value'], '0');
        written.set(`${String(p['@name'])}|${String(p['@valueName'])}`, { kind: 'flag', values: [] });
      }
      for (const e of arr(elements['text'])) written.set(`${String(p['@name'])}|${String(e['@valueName'])}`, { kind: 'text', values: [] });
      for (const e of arr(elements['multiText'])) written.set(`${String(p['@name'])}|${String(e['@valueName'])}`, { kind: 'multi', values: [] });
      for (const e of arr(elements['enum'])) {
        const values = arr(e['item']).map((i) => String(((i['value'] as Node)['string'])));
        written.set(`${String(p['@name'])}|${String(e['@valueName'])}`, { kind: 'enum', values });
      }
      for (const e of arr(elements['list'])) {
        const key = String(e['@key']);
        assert.ok(key.startsWith(`${KEY}\\`), key);
        assert.equal(e['@explicitValue'], 'true', 'name and value pairs');
        written.set(`${String(p['@name'])}|${key.slice(KEY.length + 1)}`, { kind: 'list', values: [] });
      }
    }
    const read = new Map(POLICY_SETTINGS.map((s) => [`${s.policy}|${s.valueName}`, s]));
    assert.deepEqual([...written.keys()].sort(), [...read.keys()].sort());
    for (const [key, w] of written) {
      const setting = read.get(key)!;
      assert.equal(w.kind, setting.kind, key);
      if (w.kind === 'enum') assert.deepEqual(w.values, setting.values, key);
    }
    // An enum policy offers exactly the values the config schema allows at its key (a mode added to the schema,
    // such as packet_drops: aggregate, must reach the ADMX too).
    const schema = JSON.parse(readFileSync(new URL('../../../config/agent.schema.json', import.meta.url), 'utf8')) as SchemaNode;
    for (const setting of POLICY_SETTINGS.filter((s) => s.kind === 'enum')) {
      const node = setting.path.reduce<SchemaNode | undefined>((n, k) => n?.properties?.[k], schema);
      assert.deepEqual([...(setting.values ?? [])].sort(), [...(node?.enum ?? [])].sort(), setting.policy);
    }
    // The multi-text policy's explain text lists exactly the values the agent accepts.
    const kinds = POLICY_SETTINGS.find((s) => s.kind === 'multi')!;
    for (const v of kinds.values ?? []) assert.ok(strings.get('LoggedBlockKinds_Explain')!.includes(v), v);
  });
});
