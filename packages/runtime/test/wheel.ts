import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * A pure-Python wheel built in memory (a zip, stored without compression):
 * `<name>/__init__.py` with the given source and a minimal dist-info.
 */
export function buildWheel(name: string, version: string, initSource: string): { fileName: string; bytes: Buffer; sha256: string } {
  const distInfo = `${name}-${version}.dist-info`;
  const files: [string, string][] = [
    [`${name}/__init__.py`, initSource],
    [`${distInfo}/METADATA`, `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`],
    [`${distInfo}/WHEEL`, "Wheel-Version: 1.0\nGenerator: patchbay-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"],
  ];
  files.push([`${distInfo}/RECORD`, [...files.map(([path]) => `${path},,`), `${distInfo}/RECORD,,`].join("\n") + "\n"]);
  const bytes = zipStored(files.map(([path, text]) => [path, Buffer.from(text, "utf8")]));
  return { fileName: `${name}-${version}-py3-none-any.whl`, bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

function zipStored(entries: [string, Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [path, data] of entries) {
    const name = Buffer.from(path, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
