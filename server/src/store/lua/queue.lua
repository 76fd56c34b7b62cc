-- Reply: ok, then id and site of each queued conversation, front first.
local out = { 'ok' }
for _, id in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', conv_key(id), 'site') or ''
end
return out
