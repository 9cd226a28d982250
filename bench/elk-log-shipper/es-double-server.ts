// The Elasticsearch double as a standalone server for the benchmark (documents counted, not
// stored, so memory stays flat): prints its URL, runs until SIGTERM.
import { EsDouble } from '../../packages/elk-log-shipper/test/doubles/es-double.ts';

const port = Number(process.argv[2] ?? 0);
const d = await new EsDouble({ store: false, port }).start();
console.log(d.url);
process.on('SIGTERM', () => {
  const counts = Object.fromEntries([...d.indices].map(([n, ix]) => [n, ix.count]));
  console.log(JSON.stringify({ bulks: d.bulks.length, counts }));
  void d.stop().then(() => process.exit(0));
});
