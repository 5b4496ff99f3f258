-- How to reach a user outside duban: reminders to a unit go by e-mail to its
-- users, and robots @-mention them by mobile number.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN mobile TEXT NOT NULL DEFAULT '';
