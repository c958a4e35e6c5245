export type {
  CodedValue,
  Direction,
  Endpoint,
  SideResolution,
  Sides,
  ApplicationPath,
  Protocol,
  NetworkEventKind,
  NetworkOutcome,
  NetworkEvent,
  FirewallAppBlockEvent,
  FilterEvent,
  AuditPolicyChange,
  AuditPolicyChangeEvent,
  LogClearedEvent,
  UnknownEvent,
  WfpEventBody,
  WfpEvent,
} from './wfp-event.ts';
export { createInterpreter } from './create-interpreter.ts';
export type { Interpreter } from './create-interpreter.ts';
export type { HostAddressBook } from './host-address-book.ts';
export { resolveSides } from './resolve-sides.ts';
export { readProtocol, OTEL_TRANSPORTS } from './protocols.ts';
export { DIRECTION_CODES, LAYER_CODES, FILTER_ACTION_CODES, FILTER_CHANGE_CODES, FILTER_TYPE_CODES, AUDIT_CHANGE_CODES } from './codes.ts';
