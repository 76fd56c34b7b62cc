-- ARGV: `one` and an id, `queue`, or `assigned` / `resolved` and an agent id.
-- Reply: ok, then each conversation found.
local ids
if ARGV[1] == 'one' then
  ids = { ARGV[2] }
elseif ARGV[1] == 'queue' then
  ids = redis.call('LRANGE', P .. 'queue', 0, -1)
else
  ids = redis.call('SMEMBERS', P .. ARGV[1] .. ':' .. ARGV[2])
end
local out = { 'ok' }
for _, id in ipairs(ids) do
  local view = conv_view(id)
  if view then out[#out + 1] = view end
end
return out
