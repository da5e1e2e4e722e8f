/**
 * Writes an output object as the Query protocol's XML, walking the action's output shape:
 * flattened lists repeat their item element (`<Message>…</Message><Message>…</Message>`),
 * flattened maps repeat an entry element holding key and value (`<Attribute><Name>…</Name>
 * <Value>…</Value></Attribute>`). Built by string concatenation: this is the hot path.
 */
import type { Shape, StructureShape } from './shapes.js';

export function writeStructureMembers(shape: StructureShape, value: Record<string, unknown>): string {
  let xml = '';
  for (const name in shape.members) {
    const memberValue = value[name];
    if (memberValue === undefined || memberValue === null) continue;
    const member = shape.members[name]!;
    xml += writeValue(member.shape, memberValue, member.wireName ?? name);
  }
  return xml;
}

function writeValue(shape: Shape, value: unknown, element: string): string {
  switch (shape.kind) {
    case 'list': {
      let xml = '';
      for (const item of value as unknown[]) xml += writeValue(shape.item, item, element);
      return xml;
    }
    case 'map': {
      let xml = '';
      const map = value as Record<string, unknown>;
      for (const key in map) {
        xml += `<${element}><${shape.keyName}>${escapeXml(key)}</${shape.keyName}>`;
        xml += writeValue(shape.value, map[key], shape.valueName);
        xml += `</${element}>`;
      }
      return xml;
    }
    case 'structure':
      return `<${element}>${writeStructureMembers(shape, value as Record<string, unknown>)}</${element}>`;
    default:
      return `<${element}>${escapeXml(String(value))}</${element}>`;
  }
}

const XML_SPECIAL = /[&<>"'\r]/;
const XML_SPECIAL_GLOBAL = /[&<>"'\r]/g;
const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // An XML parser turns a literal CR (and CRLF) into LF; the reference keeps the body intact.
  '\r': '&#xD;',
};

export function escapeXml(text: string): string {
  if (!XML_SPECIAL.test(text)) return text;
  return text.replace(XML_SPECIAL_GLOBAL, (char) => XML_ENTITIES[char]!);
}
