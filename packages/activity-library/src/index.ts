/** The custom activities Tandem ships: the worker registers them, the API's seed lists them in the catalog. */
export { createOrderLookupActivity, type OrderLookupOptions } from './orders-lookup';
export { createHttpRequestActivity, HttpActivityError, type HttpRequestOptions } from './http-request';
export { createDraftEmailReplyActivity } from './draft-email-reply';
