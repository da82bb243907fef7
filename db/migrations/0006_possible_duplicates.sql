CREATE TABLE `match_keys` (
	`key` text NOT NULL,
	`source_record_id` integer NOT NULL,
	PRIMARY KEY(`key`, `source_record_id`),
	FOREIGN KEY (`source_record_id`) REFERENCES `source_customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `match_keys_record_idx` ON `match_keys` (`source_record_id`);--> statement-breakpoint
CREATE TABLE `merge_event_records` (
	`merge_event_id` integer NOT NULL,
	`source_record_id` integer NOT NULL,
	PRIMARY KEY(`merge_event_id`, `source_record_id`),
	FOREIGN KEY (`merge_event_id`) REFERENCES `merge_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_record_id`) REFERENCES `source_customers`(`id`) ON UPDATE no action ON DELETE no action
);
