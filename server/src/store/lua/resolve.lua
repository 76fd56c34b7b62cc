-- ARGV: conversation id, agent id. Reply: ok, conversation.
local id, agent = ARGV[1], ARGV[2]
local ck = conv_key(id)
local c = redis.call('HMGET', ck, 'status', 'agent')
if not c[1] then return { 'not_found' } end
if c[1] == 'resolved' then return { 'resolved' } end
if c[1] ~= 'assigned' or c[2] ~= agent then return { 'forbidden' } end
redis.call('HSET', ck, 'status', 'resolved')
redis.call('HDEL', ck, 'left_message')
redis.call('HINCRBY', ck, 'version', 1)
redis.call('SMOVE', P .. 'assigned:' .. agent, P .. 'resolved:' .. agent, id)
if load_of(agent) > 0 then redis.call('HINCRBY', P .. 'loads', agent, -1) end
return { 'ok', conv_view(id) }
