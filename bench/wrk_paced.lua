-- wrk script for latency under a fixed offered load (bench/server_bench.sh):
-- every connection waits a random 0..2*MEAN ms before each request, so C
-- connections offer about C * 1000 / MEAN requests/s while the answers take
-- well under MEAN ms, instead of keeping one request outstanding each (the
-- closed loop of plain wrk, whose latency is then connections / throughput).
-- wrk times a request from its send, after the wait.
--   wrk -c1000 -s bench/wrk_paced.lua URL -- MEAN
local mean = 100

function init(args)
  mean = tonumber(args[1]) or mean
end

function delay()
  return math.random(0, 2 * mean)
end
