/**
 * The host's service provider interface: the only part of `host-sim/` a plugin may import.
 * The names follow Atlassian's SAL, UPM, Active Objects and Beehive APIs.
 */
export type { ActiveObjects, AoQuery, AoRow, AoUpgradeTaskFactory, AoValue, AoValueColumn } from './ActiveObjects';
export type { AuditAffectedObject, AuditChangedValue, AuditEvent, AuditService } from './AuditService';
export type { Clock } from './Clock';
export type { ClusterLock, ClusterLockService } from './ClusterLockService';
export type { ClusterMessage, ClusterMessageListener, ClusterMessagingService } from './ClusterMessagingService';
export type { EventPublisher, HostEvent, HostEventListener, HostEventType } from './EventPublisher';
export type { I18nResolver } from './I18nResolver';
export type { LicenseManager, LicenseState } from './LicenseManager';
export type { Logger } from './Logger';
export type { LoginInfo, LoginManager } from './LoginManager';
export type { MailMessage, MailService } from './MailService';
export type { GlobalPermission, PermissionManager } from './PermissionManager';
export type { PluginSettings, PluginSettingsDecision } from './PluginSettings';
export type { JobContext, JobRunner, JobSchedule, Scheduler } from './Scheduler';
export type { HostUser, UserManager } from './UserManager';
export type { WebSudoManager } from './WebSudoManager';
export type { AuthenticatedPrincipal, AuthenticationMethod } from './http';
export { ipv6CountedNetworks, ipv6NetworkText, readIpv6Address, type CountedNetwork } from './ipAddress';
export { readAuthorization, strictUtf8, type AuthorizationHeader, type BasicCredentials } from './authorization';
export type {
  ActivateFunction, HostServices, ModuleImplementation, PluginContext, PluginInstance, Product,
  WebPanelContext, WebPanelRenderer,
} from './plugin';
export { ServiceUnavailableError, SystemPropertyError, isServiceUnavailable } from './errors';
