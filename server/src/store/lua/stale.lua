-- Reply: ok, then each agent marked online or away whose heartbeat key
-- (`hb:<agent>`, set with an expiry by the node holding their dashboard)
-- is gone.
local out = { 'ok' }
local presence = redis.call('HGETALL', P .. 'presence')
for i = 1, #presence, 2 do
  local id = presence[i]
  if presence[i + 1] ~= 'offline' and redis.call('EXISTS', P .. 'hb:' .. id) == 0 then
    out[#out + 1] = id
  end
end
return out
