-- wrk script: POST /accesstoken/get with the emulator's default credentials.
wrk.method = "POST"
wrk.headers["client_id"] = "emulator-client-id"
wrk.headers["client_secret"] = "emulator-client-secret"
wrk.headers["Ocp-Apim-Subscription-Key"] = "emulator-subscription-key"
