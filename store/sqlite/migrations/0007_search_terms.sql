-- 0007_search_terms: the search index keeps its terms only, split at spaces.
-- Its tokens are made from the task and already folded (store/internal/zh),
-- so the unicode61 tokenizer's folding did the work twice, and the copy of
-- the tokens FTS5 kept was never read.
CREATE VIRTUAL TABLE task_search_terms USING fts5 (tokens, tokenize = 'ascii', content = '', contentless_delete = 1);
INSERT INTO task_search_terms (rowid, tokens) SELECT rowid, tokens FROM task_search;
DROP TABLE task_search;
ALTER TABLE task_search_terms RENAME TO task_search;
