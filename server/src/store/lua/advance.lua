-- ARGV: n, then per change: conversation id, expected clocks ('' for
-- none), new clocks, site, k, then k × (hour, `<dim>|<field>`, op, value).
-- Each change applies only if the conversation's clocks are still what it
-- read: then its clocks and its counts are written together.
-- Reply: ok, then per change applied | conflict | gone.
local out = { 'ok' }
local i = 2
for _ = 1, tonumber(ARGV[1]) do
  local id, expected, clocks, site = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local k = tonumber(ARGV[i + 4])
  i = i + 5
  local ck = conv_key(id)
  local status
  if redis.call('EXISTS', ck) == 0 then
    status = 'gone'
  elseif (redis.call('HGET', ck, 'clocks') or '') ~= expected then
    status = 'conflict'
  else
    redis.call('HSET', ck, 'clocks', clocks)
    for j = 0, k - 1 do
      local at = i + 4 * j
      tally_cell(site, ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3])
    end
    status = 'applied'
  end
  i = i + 4 * k
  out[#out + 1] = status
end
return out
