CREATE TABLE `agent_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`version` integer NOT NULL,
	`prompt_template` text NOT NULL,
	`variables` text DEFAULT '[]' NOT NULL,
	`source` text DEFAULT 'manual' NOT NULL,
	`parent_version_id` text,
	`status` text DEFAULT 'candidate' NOT NULL,
	`accuracy` real,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`promoted_at` text,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_version_id`) REFERENCES `agent_versions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agent_versions_agent_id_version_idx` ON `agent_versions` (`agent_id`,`version`);--> statement-breakpoint
CREATE INDEX `agent_versions_agent_id_status_idx` ON `agent_versions` (`agent_id`,`status`);--> statement-breakpoint
CREATE INDEX `agent_versions_parent_version_id_idx` ON `agent_versions` (`parent_version_id`);--> statement-breakpoint
CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'discovered' NOT NULL,
	`active_version_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`active_version_id`) REFERENCES `agent_versions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_workspace_id_name_idx` ON `agents` (`workspace_id`,`name`);--> statement-breakpoint
CREATE INDEX `agents_workspace_id_status_idx` ON `agents` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `agents_active_version_id_idx` ON `agents` (`active_version_id`);--> statement-breakpoint
CREATE TABLE `eval_candidate_executions` (
	`id` text PRIMARY KEY NOT NULL,
	`eval_candidate_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`score` real,
	`feedback` text,
	`success` integer,
	`error` text,
	`duration_ms` integer,
	`llm_calls` integer,
	`llm_cost_usd` real,
	`cache_hits` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`eval_candidate_id`) REFERENCES `eval_candidates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trace_id`) REFERENCES `traces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `eval_candidate_executions_eval_candidate_id_idx` ON `eval_candidate_executions` (`eval_candidate_id`);--> statement-breakpoint
CREATE INDEX `eval_candidate_executions_trace_id_idx` ON `eval_candidate_executions` (`trace_id`);--> statement-breakpoint
CREATE INDEX `eval_candidate_executions_created_at_idx` ON `eval_candidate_executions` ("created_at" desc);--> statement-breakpoint
CREATE INDEX `eval_candidate_executions_success_idx` ON `eval_candidate_executions` (`success`);--> statement-breakpoint
CREATE TABLE `eval_candidates` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`name` text NOT NULL,
	`code` text NOT NULL,
	`variation` text,
	`status` text DEFAULT 'candidate' NOT NULL,
	`source` text NOT NULL,
	`train_count` integer DEFAULT 0 NOT NULL,
	`holdout_count` integer DEFAULT 0 NOT NULL,
	`train_accuracy` real,
	`holdout_accuracy` real,
	`precision` real,
	`recall` real,
	`f1_score` real,
	`cohen_kappa` real,
	`confusion_matrix` text,
	`job_id` text,
	`eval_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`eval_id`) REFERENCES `evals`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `eval_candidates_workspace_id_created_at_id_idx` ON `eval_candidates` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `eval_candidates_agent_id_status_idx` ON `eval_candidates` (`agent_id`,`status`);--> statement-breakpoint
CREATE INDEX `eval_candidates_job_id_idx` ON `eval_candidates` (`job_id`);--> statement-breakpoint
CREATE INDEX `eval_candidates_eval_id_idx` ON `eval_candidates` (`eval_id`);--> statement-breakpoint
CREATE TABLE `eval_executions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`eval_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`predicted_result` integer,
	`score` real,
	`reason` text,
	`error` text,
	`error_kind` text,
	`console_output` text,
	`execution_time_ms` integer,
	`job_id` text,
	`executed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`label_rating` text,
	`label_created_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`eval_id`) REFERENCES `evals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trace_id`) REFERENCES `traces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `eval_executions_eval_id_trace_id_idx` ON `eval_executions` (`eval_id`,`trace_id`);--> statement-breakpoint
CREATE INDEX `eval_executions_eval_id_executed_at_id_idx` ON `eval_executions` (`eval_id`,`executed_at`,`id`);--> statement-breakpoint
CREATE INDEX `eval_executions_trace_id_eval_id_predicted_result_execution_time_ms_idx` ON `eval_executions` (`trace_id`,`eval_id`,`predicted_result`,`execution_time_ms`);--> statement-breakpoint
CREATE INDEX `eval_executions_eval_id_predicted_result_idx` ON `eval_executions` (`eval_id`,`predicted_result`);--> statement-breakpoint
CREATE INDEX `eval_executions_eval_id_label_rating_predicted_result_idx` ON `eval_executions` (`eval_id`,`label_rating`,`predicted_result`,`label_created_at`,`execution_time_ms`);--> statement-breakpoint
CREATE INDEX `eval_executions_job_id_idx` ON `eval_executions` (`job_id`);--> statement-breakpoint
CREATE TABLE `evals` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`version` integer NOT NULL,
	`parent_eval_id` text,
	`name` text NOT NULL,
	`description` text,
	`code` text NOT NULL,
	`model_used` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`accuracy` real,
	`precision` real,
	`recall` real,
	`f1_score` real,
	`cohen_kappa` real,
	`coverage` real,
	`false_failure_rate` real,
	`confusion_matrix` text,
	`execution_count` integer DEFAULT 0 NOT NULL,
	`contradiction_count` integer DEFAULT 0 NOT NULL,
	`error_count` integer DEFAULT 0 NOT NULL,
	`metrics_updated_at` text,
	`test_results` text,
	`auto_execute_enabled` integer DEFAULT false NOT NULL,
	`auto_refine_enabled` integer DEFAULT false NOT NULL,
	`monitoring_thresholds` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_eval_id`) REFERENCES `evals`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evals_agent_id_version_idx` ON `evals` (`agent_id`,`version`);--> statement-breakpoint
CREATE INDEX `evals_workspace_id_created_at_id_idx` ON `evals` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `evals_agent_id_status_idx` ON `evals` (`agent_id`,`status`);--> statement-breakpoint
CREATE INDEX `evals_parent_eval_id_idx` ON `evals` (`parent_eval_id`);--> statement-breakpoint
CREATE TABLE `feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`agent_id` text,
	`rating` text NOT NULL,
	`notes` text,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trace_id`) REFERENCES `traces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_trace_id_idx` ON `feedback` (`trace_id`);--> statement-breakpoint
CREATE INDEX `feedback_workspace_id_created_at_id_idx` ON `feedback` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `feedback_workspace_id_created_at_trace_id_agent_id_rating_idx` ON `feedback` (`workspace_id`,`created_at`,`trace_id`,`agent_id`,`rating`);--> statement-breakpoint
CREATE INDEX `feedback_agent_id_idx` ON `feedback` (`agent_id`);--> statement-breakpoint
CREATE INDEX `feedback_rating_idx` ON `feedback` (`rating`);--> statement-breakpoint
CREATE TABLE `feedback_history` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`feedback_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`change` text NOT NULL,
	`rating_before` text,
	`rating_after` text,
	`notes_before` text,
	`notes_after` text,
	`actor` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `feedback_history_feedback_id_created_at_idx` ON `feedback_history` (`feedback_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `feedback_history_trace_id_idx` ON `feedback_history` (`trace_id`);--> statement-breakpoint
CREATE INDEX `feedback_history_workspace_id_idx` ON `feedback_history` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `agent_functions` (
	`agent_id` text NOT NULL,
	`role` text NOT NULL,
	`function_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`agent_id`, `role`),
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`function_id`) REFERENCES `functions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agent_functions_function_id_idx` ON `agent_functions` (`function_id`);--> statement-breakpoint
CREATE TABLE `functions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`code` text NOT NULL,
	`input_schema` text,
	`output_schema` text,
	`model_used` text,
	`parent_function_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_function_id`) REFERENCES `functions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `functions_workspace_id_type_idx` ON `functions` (`workspace_id`,`type`);--> statement-breakpoint
CREATE INDEX `functions_parent_function_id_idx` ON `functions` (`parent_function_id`);--> statement-breakpoint
CREATE TABLE `gepa_run_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`task_id` text NOT NULL,
	`split` text NOT NULL,
	`score` real,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `gepa_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`task_id`) REFERENCES `taskset_tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gepa_run_tasks_run_id_task_id_idx` ON `gepa_run_tasks` (`run_id`,`task_id`);--> statement-breakpoint
CREATE INDEX `gepa_run_tasks_task_id_idx` ON `gepa_run_tasks` (`task_id`);--> statement-breakpoint
CREATE TABLE `gepa_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`eval_id` text,
	`taskset_id` text,
	`job_id` text,
	`seed_prompt` text,
	`test_case_count` integer DEFAULT 0 NOT NULL,
	`max_metric_calls` integer DEFAULT 50 NOT NULL,
	`parallelism` integer DEFAULT 5 NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`progress_metric_calls` integer DEFAULT 0 NOT NULL,
	`best_prompt` text,
	`best_score` real,
	`total_candidates` integer DEFAULT 0 NOT NULL,
	`error` text,
	`optimized_version_id` text,
	`train_split` real DEFAULT 0.7 NOT NULL,
	`val_split` real DEFAULT 0.3 NOT NULL,
	`random_seed` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`started_at` text,
	`completed_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`eval_id`) REFERENCES `evals`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`taskset_id`) REFERENCES `tasksets`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`optimized_version_id`) REFERENCES `agent_versions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `gepa_runs_workspace_id_created_at_id_idx` ON `gepa_runs` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `gepa_runs_agent_id_created_at_idx` ON `gepa_runs` (`agent_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `gepa_runs_eval_id_idx` ON `gepa_runs` (`eval_id`);--> statement-breakpoint
CREATE INDEX `gepa_runs_taskset_id_idx` ON `gepa_runs` (`taskset_id`);--> statement-breakpoint
CREATE INDEX `gepa_runs_job_id_idx` ON `gepa_runs` (`job_id`);--> statement-breakpoint
CREATE INDEX `gepa_runs_optimized_version_id_idx` ON `gepa_runs` (`optimized_version_id`);--> statement-breakpoint
CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`platform` text NOT NULL,
	`base_url` text,
	`api_key_encrypted` text NOT NULL,
	`config` text,
	`status` text DEFAULT 'active' NOT NULL,
	`error_message` text,
	`last_synced_at` text,
	`sync_cursor` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integrations_workspace_id_name_idx` ON `integrations` (`workspace_id`,`name`);--> statement-breakpoint
CREATE INDEX `integrations_workspace_id_platform_idx` ON `integrations` (`workspace_id`,`platform`);--> statement-breakpoint
CREATE TABLE `job_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`level` text DEFAULT 'info' NOT NULL,
	`message` text NOT NULL,
	`data` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `job_logs_job_id_id_idx` ON `job_logs` (`job_id`,`id`);--> statement-breakpoint
CREATE TABLE `job_retry_history` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`error` text NOT NULL,
	`error_category` text NOT NULL,
	`delay_ms` integer NOT NULL,
	`will_retry` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `job_retry_history_job_id_idx` ON `job_retry_history` (`job_id`);--> statement-breakpoint
CREATE INDEX `job_retry_history_created_at_idx` ON `job_retry_history` (`created_at`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`type` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`progress` integer DEFAULT 0 NOT NULL,
	`metadata` text,
	`result` text,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`retry_count` integer DEFAULT 0 NOT NULL,
	`max_retries` integer DEFAULT 5 NOT NULL,
	`error_category` text,
	`last_error_at` text,
	`next_retry_at` text,
	`priority` integer DEFAULT 0 NOT NULL,
	`agent_id` text,
	`agent_version_id` text,
	`trigger_event` text,
	`trigger_threshold` text,
	`lease_owner` text,
	`lease_expires_at` text,
	`cancel_requested_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`started_at` text,
	`completed_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `jobs_workspace_id_idx` ON `jobs` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `jobs_status_idx` ON `jobs` (`status`);--> statement-breakpoint
CREATE INDEX `jobs_type_idx` ON `jobs` (`type`);--> statement-breakpoint
CREATE INDEX `jobs_created_at_idx` ON `jobs` (`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_workspace_id_status_idx` ON `jobs` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `jobs_status_priority_created_at_idx` ON `jobs` (`status`,"priority" desc,`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_workspace_id_created_at_id_idx` ON `jobs` (`workspace_id`,"created_at" desc,"id" desc);--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_monitor_trigger_event_workspace_id_idx` ON `jobs` (`trigger_event`,`workspace_id`) WHERE type = 'monitor';--> statement-breakpoint
CREATE TABLE `performance_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`eval_id` text NOT NULL,
	`alert_type` text NOT NULL,
	`severity` text NOT NULL,
	`current_value` real,
	`threshold_value` real,
	`message` text NOT NULL,
	`triggered_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`acknowledged_at` text,
	`acknowledged_by` text,
	`resolved_at` text,
	`resolved_by` text,
	`metadata` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`eval_id`) REFERENCES `evals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `performance_alerts_eval_id_alert_type_resolved_at_idx` ON `performance_alerts` (`eval_id`,`alert_type`,`resolved_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `performance_alerts_eval_id_alert_type_open_idx` ON `performance_alerts` (`eval_id`,`alert_type`) WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX `performance_alerts_workspace_id_triggered_at_idx` ON `performance_alerts` (`workspace_id`,"triggered_at" desc);--> statement-breakpoint
CREATE TABLE `performance_snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`eval_id` text NOT NULL,
	`snapshot_date` text NOT NULL,
	`execution_count` integer DEFAULT 0 NOT NULL,
	`pass_count` integer DEFAULT 0 NOT NULL,
	`fail_count` integer DEFAULT 0 NOT NULL,
	`error_count` integer DEFAULT 0 NOT NULL,
	`contradiction_count` integer DEFAULT 0 NOT NULL,
	`labeled_count` integer DEFAULT 0 NOT NULL,
	`accuracy` real,
	`precision` real,
	`recall` real,
	`cohen_kappa` real,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`eval_id`) REFERENCES `evals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `performance_snapshots_eval_id_snapshot_date_idx` ON `performance_snapshots` (`eval_id`,`snapshot_date`);--> statement-breakpoint
CREATE TABLE `playground_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`agent_version_id` text,
	`messages` text DEFAULT '[]' NOT NULL,
	`variables` text DEFAULT '{}' NOT NULL,
	`files` text DEFAULT '{}' NOT NULL,
	`model_provider` text NOT NULL,
	`model_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_version_id`) REFERENCES `agent_versions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `playground_sessions_workspace_id_updated_at_idx` ON `playground_sessions` (`workspace_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `playground_sessions_agent_id_updated_at_idx` ON `playground_sessions` (`agent_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `playground_sessions_agent_version_id_idx` ON `playground_sessions` (`agent_version_id`);--> statement-breakpoint
CREATE TABLE `taskset_run_results` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`task_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`response` text,
	`score` real,
	`reason` text,
	`trace_id` text,
	`execution_time_ms` integer,
	`error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`run_id`) REFERENCES `taskset_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`task_id`) REFERENCES `taskset_tasks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trace_id`) REFERENCES `traces`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `taskset_run_results_run_id_task_id_idx` ON `taskset_run_results` (`run_id`,`task_id`);--> statement-breakpoint
CREATE INDEX `taskset_run_results_task_id_idx` ON `taskset_run_results` (`task_id`);--> statement-breakpoint
CREATE INDEX `taskset_run_results_trace_id_idx` ON `taskset_run_results` (`trace_id`);--> statement-breakpoint
CREATE TABLE `taskset_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`taskset_id` text NOT NULL,
	`agent_version_id` text,
	`job_id` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`task_count` integer DEFAULT 0 NOT NULL,
	`completed_count` integer DEFAULT 0 NOT NULL,
	`failed_count` integer DEFAULT 0 NOT NULL,
	`average_score` real,
	`average_execution_time_ms` real,
	`model_provider` text,
	`model_id` text,
	`config` text,
	`error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`started_at` text,
	`completed_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`taskset_id`) REFERENCES `tasksets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_version_id`) REFERENCES `agent_versions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `taskset_runs_workspace_id_created_at_id_idx` ON `taskset_runs` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `taskset_runs_taskset_id_created_at_idx` ON `taskset_runs` (`taskset_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `taskset_runs_agent_version_id_idx` ON `taskset_runs` (`agent_version_id`);--> statement-breakpoint
CREATE INDEX `taskset_runs_job_id_idx` ON `taskset_runs` (`job_id`);--> statement-breakpoint
CREATE TABLE `taskset_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`taskset_id` text NOT NULL,
	`user_message` text NOT NULL,
	`expected_output` text,
	`source` text DEFAULT 'manual' NOT NULL,
	`source_trace_id` text,
	`content_hash` text NOT NULL,
	`metadata` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`taskset_id`) REFERENCES `tasksets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_trace_id`) REFERENCES `traces`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `taskset_tasks_taskset_id_content_hash_idx` ON `taskset_tasks` (`taskset_id`,`content_hash`);--> statement-breakpoint
CREATE INDEX `taskset_tasks_source_trace_id_idx` ON `taskset_tasks` (`source_trace_id`);--> statement-breakpoint
CREATE TABLE `tasksets` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tasksets_workspace_id_status_idx` ON `tasksets` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `tasksets_agent_id_created_at_idx` ON `tasksets` (`agent_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`created_by_user_id` text,
	`last_used_at` text,
	`revoked_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_workspace_id_idx` ON `api_keys` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `workspace_members` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspace_members_workspace_id_user_id_idx` ON `workspace_members` (`workspace_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `workspace_members_user_id_idx` ON `workspace_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `agent_tools` (
	`agent_id` text NOT NULL,
	`tool_id` text NOT NULL,
	`config` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`agent_id`, `tool_id`),
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tool_id`) REFERENCES `tools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agent_tools_tool_id_idx` ON `agent_tools` (`tool_id`);--> statement-breakpoint
CREATE TABLE `tools` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`parameters_schema` text NOT NULL,
	`handler_key` text,
	`category` text DEFAULT 'general' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tools_category_idx` ON `tools` (`category`);--> statement-breakpoint
CREATE UNIQUE INDEX `tools_workspace_id_name_idx` ON `tools` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `trace_payload_chunks` (
	`trace_id` text NOT NULL,
	`seq` integer NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`trace_id`, `seq`),
	FOREIGN KEY (`trace_id`) REFERENCES `traces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `traces` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`integration_id` text,
	`source` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text,
	`started_at` text,
	`ended_at` text,
	`input_preview` text,
	`output_preview` text,
	`system_prompt` text,
	`span_count` integer DEFAULT 0 NOT NULL,
	`llm_call_count` integer DEFAULT 0 NOT NULL,
	`tool_call_count` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`total_tokens` integer DEFAULT 0 NOT NULL,
	`total_duration_ms` integer,
	`has_errors` integer DEFAULT false NOT NULL,
	`model` text,
	`user_id` text,
	`session_id` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`metadata` text,
	`payload_bytes` integer DEFAULT 0 NOT NULL,
	`payload_sha256` text,
	`agent_version_id` text,
	`assignment_status` text DEFAULT 'unassigned' NOT NULL,
	`imported_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`agent_version_id`) REFERENCES `agent_versions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `traces_workspace_id_source_external_id_idx` ON `traces` (`workspace_id`,`source`,`external_id`);--> statement-breakpoint
CREATE INDEX `traces_workspace_id_imported_at_id_idx` ON `traces` (`workspace_id`,"imported_at" desc,"id" desc);--> statement-breakpoint
CREATE INDEX `traces_workspace_id_started_at_idx` ON `traces` (`workspace_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `traces_workspace_id_source_idx` ON `traces` (`workspace_id`,`source`);--> statement-breakpoint
CREATE INDEX `traces_workspace_id_assignment_status_idx` ON `traces` (`workspace_id`,`assignment_status`);--> statement-breakpoint
CREATE INDEX `traces_agent_version_id_idx` ON `traces` (`agent_version_id`);--> statement-breakpoint
CREATE INDEX `traces_integration_id_idx` ON `traces` (`integration_id`);