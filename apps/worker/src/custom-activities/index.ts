/** The custom activities this worker ships, registered unless `TANDEM_BUILTIN_ACTIVITIES=0`. */
export { createOrderLookupActivity, type OrderLookupOptions } from './orders-lookup';
export { createHttpRequestActivity, HttpActivityError, type HttpRequestOptions } from './http-request';
export { createDraftEmailReplyActivity } from './draft-email-reply';
