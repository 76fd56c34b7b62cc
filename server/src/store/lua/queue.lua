-- Reply: ok, then for each queued conversation, front first: id, site,
-- team ('' for none), queued_at, the visitor's language ('' if unknown),
-- the returning agent ('' for none).
local out = { 'ok' }
for _, id in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  local c = redis.call('HMGET', conv_key(id), 'site', 'team', 'queued_at', 'visitor', 'returning')
  out[#out + 1] = id
  out[#out + 1] = c[1] or ''
  out[#out + 1] = c[2] or ''
  out[#out + 1] = c[3] or '0'
  out[#out + 1] = (c[4] and language_of(present(cjson.decode(c[4]).locale))) or ''
  out[#out + 1] = c[5] or ''
end
return out
