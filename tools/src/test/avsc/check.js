'use strict';
// Reads the engine's Avro contract with avsc (the library under Confluent's Node serializers), not with Apache
// Avro's Java implementation that wrote it: every topic's current schema must parse, defaults included, and every
// record the engine wrote must decode and encode back to the same bytes. One directory per topic holds
// schema.avsc and the records' Avro binary (<n>.bin, without the wire format's header).
const avro = require('avsc');
const fs = require('fs');
const path = require('path');

const root = process.argv[2];
let failures = 0;
for (const topic of fs.readdirSync(root).sort()) {
  const dir = path.join(root, topic);
  let type;
  try {
    type = avro.Type.forSchema(JSON.parse(fs.readFileSync(path.join(dir, 'schema.avsc'), 'utf8')));
  } catch (e) {
    console.log(`${topic}: schema not parsed: ${e.message}`);
    failures++;
    continue;
  }
  const records = fs.readdirSync(dir).filter((file) => file.endsWith('.bin')).sort();
  let read = 0;
  for (const file of records) {
    const bytes = fs.readFileSync(path.join(dir, file));
    try {
      const value = type.fromBuffer(bytes);
      if (!type.toBuffer(value).equals(bytes)) {
        throw new Error('encoded back to other bytes');
      }
      read++;
    } catch (e) {
      console.log(`${topic}: record ${file} not read back: ${e.message}`);
      failures++;
    }
  }
  console.log(`${topic}: schema parsed, ${read} of ${records.length} records read back`);
}
process.exit(failures === 0 ? 0 : 1);
