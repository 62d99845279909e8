CREATE TABLE `request_bodies` (
	`history_id` integer PRIMARY KEY NOT NULL,
	`truncated` integer NOT NULL,
	`prompt` text NOT NULL,
	`answer` text NOT NULL
);
