-- The review queue most confident first (sort=-confidence): an index on
-- the sort key (store.ConfidenceKeySQL: incidents without a confidence as
-- -1) after the status the queue selects by equality, with the insertion
-- key that breaks ties, so that a page of the queue is a seek from its
-- cursor rather than a sort of the queue. Like incidents_review it holds
-- the queue alone (store.QueueOnlySQL).
CREATE INDEX incidents_confidence ON incidents (status, (COALESCE(confidence, -1)), fid) WHERE status <> 'published';
