-- GET 50 updates of history, newest first, of a random mission (requests formatted once in init()).
local requests = {}

function init(args)
  for i = 1, tonumber(os.getenv("BENCH_MISSIONS") or "100") do
    requests[i] = wrk.format("GET", string.format("/api/v1/missions/bench-%d/updates?limit=50", i))
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  return requests[math.random(#requests)]
end

function done(summary, latency, requests)
  io.write(string.format("p50_ms %.2f p99_ms %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
