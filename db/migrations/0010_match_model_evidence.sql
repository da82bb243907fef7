ALTER TABLE `merge_events` ADD `evidence` text;--> statement-breakpoint
ALTER TABLE `review_queue` ADD `evidence` text;