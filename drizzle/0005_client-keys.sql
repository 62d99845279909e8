CREATE TABLE `client_keys` (
	`name` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `client_keys_hash_unique` ON `client_keys` (`hash`);--> statement-breakpoint
ALTER TABLE `request_history` ADD `client_key` text;