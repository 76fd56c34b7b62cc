-- ARGV: now. Reply: ok, then each assigned conversation, in queue order.
-- A conversation nobody serving its site can take now keeps its place and
-- the next one is tried; the loop ends when nobody online has room.
local out = { 'ok' }
for _, id in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  if not choose_agent(nil) then break end
  local site = redis.call('HGET', conv_key(id), 'site')
  local agent = site and choose_agent(site)
  if agent then out[#out + 1] = assign(id, agent, ARGV[1]) end
end
return out
