/**
 * The API's shapes under the app's names. The schemas themselves are GENERATED from the
 * OpenAPI document (openapi-ts.config.ts → ./generated/zod.gen.ts, `npm run
 * api:generate`); this module only names them, so when the document's component names
 * change, this file (and the config's input path) is all that changes. Every response is
 * parsed with these, so a contract drift shows up as a clear error, not a blank screen.
 */
import type { z } from 'zod';
import {
  zStats,
  zAuditEvent,
  zAuditTrail,
  zBoundingBox,
  zCheck,
  zCreateUploadRequest,
  zDecisionRequest,
  zStartRequest,
  zErrorResponse,
  zEInvoiceInfo,
  zExtractedField,
  zExtractionResult,
  zJob,
  zJobPage,
  zJobStatus,
  zLineItem,
  zRescored,
  zRescoreRequest,
  zReviewDetail,
  zReviewReason,
  zUploadCreated,
  zVendor,
  zVendorDetail,
  zVendorPage,
  zCreateWebhookRequest,
  zDelivery,
  zDeliveryPage,
  zWebhook,
  zWebhookCreated,
  zWebhookList,
  zWebhookSecret,
  zInviteUser,
  zSettingsAudit,
  zSettingsUpdate,
  zTenantSettings,
  zUser,
  zUserChange,
  zUserList,
} from './generated/zod.gen';

export const tenantSettingsSchema = zTenantSettings;
export const settingsUpdateSchema = zSettingsUpdate;
export const settingsAuditSchema = zSettingsAudit;
export const userSchema = zUser;
export const userListSchema = zUserList;
export const inviteUserSchema = zInviteUser;
export const userChangeSchema = zUserChange;
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;
export type SettingsAudit = z.infer<typeof settingsAuditSchema>;
export type User = z.infer<typeof userSchema>;
export type UserList = z.infer<typeof userListSchema>;
export type InviteUser = z.infer<typeof inviteUserSchema>;
export type UserChange = z.infer<typeof userChangeSchema>;

export const webhookSchema = zWebhook;
export const webhookListSchema = zWebhookList;
export const webhookCreatedSchema = zWebhookCreated;
export const webhookSecretSchema = zWebhookSecret;
export const createWebhookRequestSchema = zCreateWebhookRequest;
export const deliverySchema = zDelivery;
export const deliveryPageSchema = zDeliveryPage;
export type Webhook = z.infer<typeof webhookSchema>;
export type WebhookCreated = z.infer<typeof webhookCreatedSchema>;
export type WebhookSecret = z.infer<typeof webhookSecretSchema>;
export type CreateWebhookRequest = z.infer<typeof createWebhookRequestSchema>;
export type Delivery = z.infer<typeof deliverySchema>;
export type DeliveryPage = z.infer<typeof deliveryPageSchema>;

export const jobStatusSchema = zJobStatus;
export const jobSchema = zJob;
export const jobPageSchema = zJobPage;
export const auditEventSchema = zAuditEvent;
export const auditTrailSchema = zAuditTrail;
export const extractionResultSchema = zExtractionResult;
export const reviewDetailSchema = zReviewDetail;
export const createUploadRequestSchema = zCreateUploadRequest;
export const uploadCreatedSchema = zUploadCreated;
export const decisionRequestSchema = zDecisionRequest;
export const startRequestSchema = zStartRequest;
export const apiErrorBodySchema = zErrorResponse;
export const rescoredSchema = zRescored;
export const rescoreRequestSchema = zRescoreRequest;

export type JobStatus = z.infer<typeof jobStatusSchema>;
export type Job = z.infer<typeof jobSchema>;
export type JobPage = z.infer<typeof jobPageSchema>;
export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditTrail = z.infer<typeof auditTrailSchema>;
export type ExtractionResult = z.infer<typeof extractionResultSchema>;
export type ExtractedField = z.infer<typeof zExtractedField>;
export type EInvoiceInfo = z.infer<typeof zEInvoiceInfo>;
export type BoundingBox = z.infer<typeof zBoundingBox>;
export type Check = z.infer<typeof zCheck>;
export type ReviewReason = z.infer<typeof zReviewReason>;
export type ReviewDetail = z.infer<typeof reviewDetailSchema>;
export type CreateUploadRequest = z.infer<typeof createUploadRequestSchema>;
export type UploadCreated = z.infer<typeof uploadCreatedSchema>;
export type DecisionRequest = z.infer<typeof decisionRequestSchema>;
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
export type Rescored = z.infer<typeof rescoredSchema>;
export type RescoreRequest = z.infer<typeof rescoreRequestSchema>;
export type LineItem = z.infer<typeof zLineItem>;
export type CorrectedLineItem = NonNullable<RescoreRequest['corrected_line_items']>[number];
export const vendorPageSchema = zVendorPage;
export const vendorDetailSchema = zVendorDetail;
export type Vendor = z.infer<typeof zVendor>;
export type VendorPage = z.infer<typeof vendorPageSchema>;
export type VendorDetail = z.infer<typeof vendorDetailSchema>;

export const JOB_STATUSES = jobStatusSchema.options;

export const statsSchema = zStats;
export type Stats = z.infer<typeof statsSchema>;
