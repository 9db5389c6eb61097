-- GET the rollup of a random mission. With "etags" (wrk ... -- etags) each request carries the
-- mission's current ETag in If-None-Match, so the server answers 304 without touching anything.
-- Requests are formatted once in init(): per-request Lua work would make wrk the bottleneck.
local requests = {}

function init(args)
  local use_etags = args[1] == "etags"
  for line in io.lines(os.getenv("BENCH_ETAGS_FILE")) do
    local path, etag = line:match("^(%S+)%s+(.+)$")
    local headers = {}
    if use_etags then
      headers["If-None-Match"] = etag
    end
    requests[#requests + 1] = wrk.format("GET", path, headers)
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  return requests[math.random(#requests)]
end

-- wrk counts non-2xx/3xx answers itself; run.sh checks each scenario's status before it runs.
function done(summary, latency, requests)
  io.write(string.format("p50_ms %.2f p99_ms %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
