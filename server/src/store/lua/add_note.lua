-- ARGV: conversation id, agent id, client id, stored note JSON (without
-- its number and place), most notes a conversation may hold. A conversation's notes are a list of entries
-- "<after_seq> <json>"; the entry at index i is note i + 1.
-- Reply: ok, duplicate, note number, entry, conversation | not_found |
-- too_many_notes (nothing stored).
local id, agent, cid, note = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('EXISTS', conv_key(id)) == 0 then return { 'not_found' } end
-- Idempotent per author: another agent's client id is never looked at.
local field = agent .. ':' .. cid
local n = redis.call('HGET', note_ids_key(id), field)
if n then
  return { 'ok', '1', n, redis.call('LINDEX', notes_key(id), tonumber(n) - 1), conv_view(id) }
end
if redis.call('LLEN', notes_key(id)) >= tonumber(ARGV[5]) then return { 'too_many_notes' } end
local entry = tostring(redis.call('LLEN', msgs_key(id))) .. ' ' .. note
n = redis.call('RPUSH', notes_key(id), entry)
redis.call('HSET', note_ids_key(id), field, n)
return { 'ok', '0', tostring(n), entry, conv_view(id) }
