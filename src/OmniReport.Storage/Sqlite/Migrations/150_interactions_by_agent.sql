-- Live stream (issue #13). A record's agent_name is the account-wide name of its agent, so a batch that renames an
-- agent changes every stored record of that agent as served, and logs each (AgentRenames): this finds them.
CREATE INDEX interactions_by_agent ON interactions (account_id, agent_id) WHERE agent_id IS NOT NULL;
