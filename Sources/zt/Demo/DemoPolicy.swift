/// The policy `zt demo` runs: the example policy of the design documents, unchanged, plus one
/// marked policy that lets a data scientist write a dataset (so the demo can encrypt one).
enum DemoPolicy {
    static let yaml = """
        # The policy file format ZeroTrustKit must load as-is (top-level key `policies`).
        # Optional top-level sections the loader also accepts: `version`, `defaults`, `time_windows`.
        version: 1
        defaults:
          ttl: 3600                 # seconds; a decision's token lifetime, capped by the engine's maximum
          timezone: UTC             # timezone for time windows unless a window names its own
        time_windows:
          business_hours:           # built in with exactly this definition when not declared
            days: [mon, tue, wed, thu, fri]
            start: "09:00"
            end: "17:00"
        policies:
          - id: data_scientist_training
            subjects:
              - role: data_scientist
            resources:
              - type: dataset
                sensitivity: low
              - type: training_cluster
                environment: dev
            actions:
              - read_data
              - submit_training_job
              - read_metrics
            conditions:
              - ip_range: 10.0.0.0/8
              - time_window: business_hours

          - id: production_model_deployment
            subjects:
              - role: mlops_engineer
              - approval: security_team
            resources:
              - type: model
                stage: production
              - type: deployment_platform
                environment: prod
            actions:
              - deploy_model
              - monitor_performance
            conditions:
              - mfa_required: true
              - audit_logged: true

          - id: block_quarantined_models     # an explicit deny: it overrides every permit
            effect: deny
            subjects:
              - role: "*"
            resources:
              - type: model
                quarantined: "true"
            actions: ["*"]

          - id: demo_dataset_ingest         # added by zt demo: not part of the example policy
            subjects:
              - role: data_scientist
            resources:
              - type: dataset
            actions:
              - write_data
            conditions:
              - ip_range: 10.0.0.0/8
        """
}
