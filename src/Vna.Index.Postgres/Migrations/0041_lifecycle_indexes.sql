-- 0041_lifecycle_indexes: what the policy preview reads for every study, kept cheap at archive scale.
-- Whether a study still has an instance on the hot tier: an index probe instead of a walk of the study's instances.
CREATE INDEX instance_hot_study ON instance (study_pk) WHERE tier = 0;
