/** mariadbd options that let bench/lib/probe.mjs time every transaction and write statement (performance_schema events). */
export const probeServerArgs = [
  '--performance-schema=ON',
  '--performance-schema-instrument=transaction=ON',
  '--performance-schema-consumer-events-transactions-current=ON',
  '--performance-schema-consumer-events-transactions-history-long=ON',
  '--performance-schema-events-transactions-history-long-size=100000',
  '--performance-schema-consumer-events-statements-current=ON',
  '--performance-schema-consumer-events-statements-history-long=ON',
  '--performance-schema-events-statements-history-long-size=100000',
];
