export * from './imdsv2-policy-options';
export * from './imdsv2-policy-statements';
export * from './require-imdsv2-managed-policy';
export * from './require-imdsv2-service-control-policy';
export * from './instance-metadata-defaults-declarative-policy';
