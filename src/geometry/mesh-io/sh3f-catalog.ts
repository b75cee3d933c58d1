// Sweet Home 3D furniture catalogues (.sh3f): a zip of OBJ models plus PluginFurnitureCatalog.properties, whose
// numbered keys (`id#N`, `name#N`, `category#N`, `model#N`, `creator#N`, …) describe each piece, and whose
// catalogue-wide `license` applies to every piece that has no `license#N` of its own.

export interface CatalogPiece {
  /** The number N of its `…#N` keys. */
  index: number;
  id: string;
  name: string;
  category?: string;
  creator?: string;
  licence?: string;
  /** Zip entry of the model (leading slash removed). */
  model: string;
}

/** Java .properties text (ISO-8859-1 bytes, `\uXXXX` escapes, `\` line continuations) → key/value pairs. */
export function parseProperties(bytes: Uint8Array): Map<string, string> {
  const text = new TextDecoder('latin1').decode(bytes);
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].replace(/^\s+/, '');
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    // An odd number of trailing backslashes continues the line.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length)
      line = line.slice(0, -1) + lines[++i].replace(/^\s+/, '');
    const m = /^((?:\\.|[^=:\s\\])*)\s*[=:\s]\s*(.*)$/.exec(line);
    const key = unescape(m ? m[1] : line);
    out.set(key, unescape(m ? m[2] : ''));
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'f' ? '\f' : c;
  });
}

/** The pieces of a catalogue, in index order; pieces without a model are left out. */
export function catalogPieces(properties: Map<string, string>): CatalogPiece[] {
  const indices = new Set<number>();
  for (const key of properties.keys()) {
    const m = /^model#(\d+)$/.exec(key);
    if (m) indices.add(Number(m[1]));
  }
  const catalogLicence = properties.get('license');
  const pieces: CatalogPiece[] = [];
  for (const index of [...indices].sort((a, b) => a - b)) {
    const get = (field: string): string | undefined => {
      const value = properties.get(`${field}#${index}`)?.trim();
      return value === undefined || value === '' ? undefined : value;
    };
    const model = get('model');
    if (model === undefined) continue;
    pieces.push({
      index,
      id: get('id') ?? `piece-${index}`,
      name: get('name') ?? `piece ${index}`,
      category: get('category'),
      creator: get('creator'),
      licence: get('license') ?? catalogLicence,
      model: model.replace(/^\/+/, ''),
    });
  }
  return pieces;
}
