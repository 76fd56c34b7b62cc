-- ARGV: now, then for each key: key, free, base_ms, cap_ms, window_ms.
-- Reply: ok, wait ms ('0' when the attempt was taken and counted).
-- Mirrors store::throttle::Rule::wait / next_count.
local now = tonumber(ARGV[1])
local keys, longest = {}, 0
for i = 2, #ARGV, 5 do
  local k = { key = P .. 'login:' .. ARGV[i], free = tonumber(ARGV[i + 1]),
    base = tonumber(ARGV[i + 2]), cap = tonumber(ARGV[i + 3]), window = tonumber(ARGV[i + 4]) }
  local state = redis.call('HMGET', k.key, 'count', 'last')
  k.count, k.last = tonumber(state[1] or '0'), tonumber(state[2] or '0')
  if now - k.last > k.window then k.count = 0 end
  if k.count >= k.free then
    local delay = math.min(k.base * 2 ^ math.min(k.count - k.free, 40), k.cap)
    local untl = k.last + delay
    if now < untl and untl - now > longest then longest = untl - now end
  end
  keys[#keys + 1] = k
end
if longest > 0 then return { 'ok', string.format('%d', longest) } end
for _, k in ipairs(keys) do
  redis.call('HSET', k.key, 'count', k.count + 1, 'last', ARGV[1])
  redis.call('PEXPIRE', k.key, k.window + k.cap)
end
return { 'ok', '0' }
