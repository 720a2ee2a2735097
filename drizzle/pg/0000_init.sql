CREATE TABLE "access_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"service_id" bigint NOT NULL,
	"client_id" bigint NOT NULL,
	"grant_id" text NOT NULL,
	"subject" text,
	"scopes_json" text NOT NULL,
	"refresh_token_hash" text,
	"details_json" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"expires_at_ms" bigint NOT NULL,
	"revoked_at_ms" bigint
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"service_id" bigint,
	"token_hash" text NOT NULL,
	"permissions_json" text NOT NULL,
	"description" text,
	"created_at_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "authorization_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"service_id" bigint NOT NULL,
	"client_id" bigint NOT NULL,
	"grant_id" text NOT NULL,
	"payload_json" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"expires_at_ms" bigint NOT NULL,
	"consumed_at_ms" bigint
);
--> statement-breakpoint
CREATE TABLE "client_assertion_jtis" (
	"service_id" bigint NOT NULL,
	"client_id" bigint NOT NULL,
	"jti" text NOT NULL,
	"expires_at_ms" bigint NOT NULL,
	CONSTRAINT "client_assertion_jtis_pk" PRIMARY KEY("client_id","jti")
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"client_id" bigint PRIMARY KEY NOT NULL,
	"service_id" bigint NOT NULL,
	"client_id_alias" text NOT NULL,
	"developer" text,
	"locked" boolean NOT NULL,
	"secret_hash" text,
	"secret_sealed" text,
	"settings_json" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"modified_at_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"grant_id" text PRIMARY KEY NOT NULL,
	"service_id" bigint NOT NULL,
	"client_id" bigint NOT NULL,
	"subject" text,
	"created_at_ms" bigint NOT NULL,
	"revoked_at_ms" bigint
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"service_id" bigint NOT NULL,
	"client_id" bigint NOT NULL,
	"grant_id" text NOT NULL,
	"subject" text,
	"scopes_json" text NOT NULL,
	"details_json" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"expires_at_ms" bigint NOT NULL,
	"rotated_at_ms" bigint,
	"revoked_at_ms" bigint
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" bigint PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"settings_json" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"modified_at_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"service_id" bigint NOT NULL,
	"kid" text NOT NULL,
	"alg" text NOT NULL,
	"public_jwk_json" text NOT NULL,
	"private_jwk_sealed" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"activates_at_ms" bigint NOT NULL,
	"retires_at_ms" bigint,
	CONSTRAINT "signing_keys_pk" PRIMARY KEY("service_id","kid")
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"ticket_hash" text PRIMARY KEY NOT NULL,
	"service_id" bigint NOT NULL,
	"client_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"payload_json" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"expires_at_ms" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_grant_fk" FOREIGN KEY ("grant_id") REFERENCES "grants"("grant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD CONSTRAINT "authorization_codes_grant_fk" FOREIGN KEY ("grant_id") REFERENCES "grants"("grant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_assertion_jtis" ADD CONSTRAINT "client_assertion_jtis_client_id_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "clients"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_client_id_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "clients"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_grant_fk" FOREIGN KEY ("grant_id") REFERENCES "grants"("grant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_client_id_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "clients"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_tokens_grant_idx" ON "access_tokens" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "access_tokens_client_subject_idx" ON "access_tokens" USING btree ("client_id","subject");--> statement-breakpoint
CREATE INDEX "access_tokens_expires_idx" ON "access_tokens" USING btree ("expires_at_ms");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_token_hash_idx" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_service_idx" ON "api_tokens" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "authorization_codes_grant_idx" ON "authorization_codes" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "authorization_codes_expires_idx" ON "authorization_codes" USING btree ("expires_at_ms");--> statement-breakpoint
CREATE INDEX "client_assertion_jtis_expires_idx" ON "client_assertion_jtis" USING btree ("expires_at_ms");--> statement-breakpoint
CREATE UNIQUE INDEX "clients_alias_idx" ON "clients" USING btree ("service_id","client_id_alias");--> statement-breakpoint
CREATE INDEX "clients_listing_idx" ON "clients" USING btree ("service_id","created_at_ms","client_id");--> statement-breakpoint
CREATE INDEX "clients_developer_idx" ON "clients" USING btree ("service_id","developer");--> statement-breakpoint
CREATE INDEX "grants_client_subject_idx" ON "grants" USING btree ("client_id","subject");--> statement-breakpoint
CREATE INDEX "refresh_tokens_grant_idx" ON "refresh_tokens" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_expires_idx" ON "refresh_tokens" USING btree ("expires_at_ms");--> statement-breakpoint
CREATE INDEX "services_created_idx" ON "services" USING btree ("created_at_ms","id");--> statement-breakpoint
CREATE INDEX "services_issuer_idx" ON "services" USING btree ("issuer");--> statement-breakpoint
CREATE INDEX "tickets_client_idx" ON "tickets" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "tickets_expires_idx" ON "tickets" USING btree ("expires_at_ms");