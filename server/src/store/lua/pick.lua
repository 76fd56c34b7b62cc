-- ARGV: conversation id, agent id, now. Reply: ok, conversation.
local id, agent = ARGV[1], ARGV[2]
local status = redis.call('HGET', conv_key(id), 'status')
if not status then return { 'not_found' } end
if status ~= 'queued' then return { 'not_queued' } end
local cap = redis.call('HGET', P .. 'agent_cap', agent)
if not cap then return { 'not_found' } end
if not serves(agent, redis.call('HGET', conv_key(id), 'site')) then return { 'forbidden' } end
if load_of(agent) >= tonumber(cap) then return { 'at_capacity' } end
return { 'ok', assign(id, agent, ARGV[3]) }
