-- ARGV: key to clear, key whose last attempt is taken back.
redis.call('DEL', P .. 'login:' .. ARGV[1])
local undo = P .. 'login:' .. ARGV[2]
if tonumber(redis.call('HGET', undo, 'count') or '0') > 0 then
  redis.call('HINCRBY', undo, 'count', -1)
end
return { 'ok' }
