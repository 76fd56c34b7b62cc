-- ARGV: callback id, its JSON, the JSON it is expected to replace ('' for
-- a new request), visitor id, for a new request the id of the visitor's
-- latest request expected now ('' for none), open ('1'/'0'), requested
-- at, updated at. Compare-and-set: the rules are applied in Rust
-- (crate::callbacks) to what was read; this writes only if nothing
-- changed since, with the open/closed lists and the visitor's list.
-- Reply: ok | retry | not_found (a new request of a visitor who is gone).
local id, json, expected, vid, latest = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local open, requested, updated = ARGV[6], ARGV[7], ARGV[8]
local current = redis.call('HGET', P .. 'callbacks', id) or ''
if current ~= expected then return { 'retry' } end
if expected == '' then
  if redis.call('EXISTS', P .. 'visitor:' .. vid) == 0 then return { 'not_found' } end
  local top = redis.call('ZREVRANGE', P .. 'vcallbacks:' .. vid, 0, 0)[1] or ''
  if top ~= latest then return { 'retry' } end
  redis.call('ZADD', P .. 'vcallbacks:' .. vid, requested, id)
end
redis.call('HSET', P .. 'callbacks', id, json)
if open == '1' then
  redis.call('ZADD', P .. 'callbacks_open', requested, id)
else
  redis.call('ZREM', P .. 'callbacks_open', id)
  redis.call('ZADD', P .. 'callbacks_closed', updated, id)
end
return { 'ok' }
