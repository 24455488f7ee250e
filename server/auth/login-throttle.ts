// The sign-in throttle lives in core/ (pure) so the desk uses the same rule offline.
export { LoginThrottle, tooManyAttemptsMessage } from '../../core/auth/login-throttle';
export type { ThrottleOptions } from '../../core/auth/login-throttle';
