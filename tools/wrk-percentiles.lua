-- wrk script: print latency percentiles (microseconds) and totals in a form
-- tools/bench.sh parses.
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("p%d %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("errors %d\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.status + summary.errors.timeout))
  io.write(string.format("seconds %.3f\n", summary.duration / 1e6))
  io.write(string.format("error_kinds connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
