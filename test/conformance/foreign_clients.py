"""Conformance checks of the sandbox driven by clients nobody in this project wrote: boto3 and the
AWS CLI v1. Reads its targets from CONFORMANCE_CONFIG (JSON, written by run.ts). Prints one line per
check and a closing 'N passed, N failed, N skipped' line; exits 1 when a check failed."""
import json
import os
import shutil
import subprocess
import sys
import urllib.request

config = json.loads(os.environ["CONFORMANCE_CONFIG"])
results = {"passed": 0, "failed": 0, "skipped": 0}

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError:
    boto3 = None
AWS = shutil.which("aws")


def check(name, needs, fn):
    missing = [n for n in needs if (n == "boto3" and boto3 is None) or (n == "aws" and AWS is None)]
    if missing:
        results["skipped"] += 1
        print(f"SKIP {name} (no {', '.join(missing)} on this machine)")
        return
    try:
        fn()
        results["passed"] += 1
        print(f"PASS {name}")
    except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the run
        results["failed"] += 1
        print(f"FAIL {name}: {type(error).__name__}: {error}")


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def client(world, service, creds=None, region=None):
    creds = creds or world["management"]
    return boto3.client(
        service,
        endpoint_url=world["endpoint"],
        region_name=region or world["region"],
        aws_access_key_id=creds["accessKeyId"],
        aws_secret_access_key=creds["secretAccessKey"],
        aws_session_token=creds.get("sessionToken"),
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def error_of(fn):
    try:
        fn()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("the call succeeded; an error was expected")


def task_arn(world, task):
    return f"arn:{world['partition']}:iam::aws:policy/root-task/{task}"


def assume(world, account, task, creds=None):
    answer = client(world, "sts", creds).assume_root(
        TargetPrincipal=account, TaskPolicyArn={"arn": task_arn(world, task)}
    )
    c = answer["Credentials"]
    return {"accessKeyId": c["AccessKeyId"], "secretAccessKey": c["SecretAccessKey"], "sessionToken": c["SessionToken"]}


def admin(world, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(world["adminUrl"] + path, data=data, method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def cli(world, args, creds=None):
    creds = creds or world["management"]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL": world["endpoint"],
        "AWS_DEFAULT_REGION": world["region"],
        "AWS_ACCESS_KEY_ID": creds["accessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["secretAccessKey"],
        "AWS_MAX_ATTEMPTS": "1",
    }
    if creds.get("sessionToken"):
        env["AWS_SESSION_TOKEN"] = creds["sessionToken"]
    done = subprocess.run([AWS, *args, "--output", "json", "--endpoint-url", world["endpoint"]], env=env, capture_output=True, text=True, timeout=60)
    return done.returncode, (json.loads(done.stdout) if done.stdout.strip() else {}), done.stderr


W = config["main"]
OFF = config["featuresOff"]
INVITED, CLEAN, SUSPENDED, MANAGEMENT = W["invited"], W["clean"], W["suspended"], W["managementAccountId"]
BUCKET, QUEUE = W["lockedBucket"], W["queueName"]
queue_url = f"https://sqs.{W['region']}.amazonaws.com/{INVITED}/{QUEUE}"


# --- sts:AssumeRoot (aws-facts.md "sts:AssumeRoot") ---
def assume_root_cli():
    code, out, _ = cli(W, ["sts", "assume-root", "--target-principal", INVITED, "--task-policy-arn",
                           f"arn={task_arn(W, 'IAMAuditRootUserCredentials')}"])
    expect(code == 0 and out["Credentials"]["AccessKeyId"].startswith("ASIA"), f"exit {code}: {out}")


def duration_901_cli():
    code, _, err = cli(W, ["sts", "assume-root", "--target-principal", INVITED, "--task-policy-arn",
                           f"arn={task_arn(W, 'IAMAuditRootUserCredentials')}", "--duration-seconds", "901"])
    expect(code == 255 and "ValidationError" in err, f"exit {code}: {err}")


def bad_task_arn():
    got = error_of(lambda: client(W, "sts").assume_root(
        TargetPrincipal=INVITED, TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/AdministratorAccess"}))
    expect(got == ("ValidationError", 400), got)


def management_target():
    got = error_of(lambda: assume(W, MANAGEMENT, "IAMAuditRootUserCredentials"))
    expect(got == ("AccessDenied", 403), got)


def suspended_target():
    got = error_of(lambda: assume(W, SUSPENDED, "IAMAuditRootUserCredentials"))
    expect(got == ("AccessDenied", 403), got)


def session_cannot_assume():
    session = assume(W, INVITED, "IAMAuditRootUserCredentials")
    got = error_of(lambda: assume(W, CLEAN, "IAMAuditRootUserCredentials", session))
    expect(got[0] == "AccessDenied", got)


def features_off():
    got = error_of(lambda: assume(OFF, OFF["invited"], "IAMAuditRootUserCredentials"))
    expect(got == ("AccessDenied", 403), got)


def global_partition_region():
    got = error_of(lambda: client(W, "sts", region="cn-north-1").get_caller_identity())
    expect(got == ("InvalidClientTokenId", 403), got)


def delegated_admin():
    da = W["delegatedAdministrator"]
    session = assume(W, INVITED, "IAMAuditRootUserCredentials", da)
    expect(session["accessKeyId"].startswith("ASIA"), session)
    got = error_of(lambda: client(W, "iam", da).enable_organizations_root_sessions())
    # IAM model: the shape has no awsQueryError trait, so its wire code is the shape name.
    expect(got == ("CallerIsNotManagementAccountException", 400), got)


# --- IAM in a root session (aws-facts.md "IAM calls inside a root session") ---
def audit_session():
    session = assume(W, INVITED, "IAMAuditRootUserCredentials")
    code, out, _ = cli(W, ["iam", "get-account-summary"], session)
    expect(code == 0 and out["SummaryMap"]["AccountPasswordPresent"] == 1, out)
    code, _, err = cli(W, ["iam", "delete-login-profile"], session)
    expect(code == 255 and "AccessDenied" in err, f"task-policy scoping: exit {code}: {err}")
    code, out, _ = cli(W, ["sts", "get-caller-identity"], session)
    expect(out.get("Arn") == f"arn:{W['partition']}:iam::{INVITED}:root", out)


def audit_excludes_summary_in_delete():
    session = assume(W, INVITED, "IAMDeleteRootUserCredentials")
    got = error_of(lambda: client(W, "iam", session).get_account_summary())
    expect(got == ("AccessDenied", 403), got)


def no_login_profile():
    session = assume(W, CLEAN, "IAMAuditRootUserCredentials")
    got = error_of(lambda: client(W, "iam", session).get_login_profile())
    expect(got == ("NoSuchEntity", 404), got)


def create_login_profile_twice():
    session = assume(W, CLEAN, "IAMCreateRootUserPassword")
    iam = client(W, "iam", session)
    iam.create_login_profile()
    got = error_of(lambda: iam.create_login_profile())
    expect(got == ("EntityAlreadyExists", 409), got)


def mfa_order():
    session = assume(W, INVITED, "IAMDeleteRootUserCredentials")
    iam = client(W, "iam", session)
    got = error_of(lambda: iam.delete_virtual_mfa_device(SerialNumber=W["virtualMfa"]))
    expect(got == ("DeleteConflict", 409), got)


def expiry_through_admin():
    session = assume(W, INVITED, "IAMAuditRootUserCredentials")
    iam = client(W, "iam", session)
    iam.get_account_summary()
    admin(W, "POST", "clock", {"advanceSeconds": 901})
    got = error_of(lambda: iam.get_account_summary())
    expect(got == ("ExpiredToken", 403), got)


def username_pattern():
    session = assume(W, INVITED, "IAMAuditRootUserCredentials")
    got = error_of(lambda: client(W, "iam", session).list_access_keys(UserName="not valid"))
    expect(got == ("ValidationError", 400), got)


# --- S3 and SQS (aws-facts.md "Unlocking S3 bucket and SQS queue policies") ---
def s3_policies():
    session = assume(W, INVITED, "S3UnlockBucketPolicy")
    s3 = client(W, "s3", session)
    got = error_of(lambda: s3.put_bucket_policy(Bucket=BUCKET, Policy='{"Version":"2012-10-17","Statement":[]}'))
    expect(got == ("MalformedPolicy", 400), got)
    got = error_of(lambda: s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Statement": [
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}]})))
    expect(got == ("MalformedPolicy", 400), f"Principal required: {got}")
    deleted = s3.delete_bucket_policy(Bucket=BUCKET)
    expect(deleted["ResponseMetadata"]["HTTPStatusCode"] == 204, deleted)
    got = error_of(lambda: s3.get_bucket_policy(Bucket=BUCKET))
    expect(got == ("NoSuchBucketPolicy", 404), got)


def s3_other_account():
    session = assume(W, INVITED, "S3UnlockBucketPolicy")
    got = error_of(lambda: client(W, "s3", session).get_bucket_policy(Bucket=W["cleanBucket"]))
    expect(got == ("AccessDenied", 403), got)


def sqs_policies():
    session = assume(W, INVITED, "SQSUnlockQueuePolicy")
    code, _, err = cli(W, ["sqs", "set-queue-attributes", "--queue-url", queue_url, "--attributes",
                           json.dumps({"Policy": '{"Statement":[{"Effect":"Allow"}]}'})], session)
    expect(code == 255 and "InvalidAttributeValue" in err, f"exit {code}: {err}")
    sqs = client(W, "sqs", session)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": ""})
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"])
    expect("Policy" not in attributes.get("Attributes", {}), attributes)
    got = error_of(lambda: sqs.get_queue_url(QueueName="nobody"))
    expect(got[0] in ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"), got)


def sqs_other_region_url():
    session = assume(W, INVITED, "SQSUnlockQueuePolicy")
    other = f"https://sqs.eu-west-1.amazonaws.com/{INVITED}/{QUEUE}"
    got = error_of(lambda: client(W, "sqs", session).get_queue_attributes(QueueUrl=other, AttributeNames=["All"]))
    expect(got == ("InvalidAddress", 400), got)


def sqs_query_protocol():
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    session = assume(W, INVITED, "SQSUnlockQueuePolicy")
    body = f"Action=GetQueueAttributes&Version=2012-11-05&QueueUrl={urllib.parse.quote(queue_url, safe='')}&AttributeName.1=QueueArn"
    request = AWSRequest(method="POST", url=W["endpoint"] + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    SigV4Auth(Credentials(session["accessKeyId"], session["secretAccessKey"], session["sessionToken"]),
              "sqs", W["region"]).add_auth(request)
    prepared = urllib.request.Request(request.url, data=body.encode(), headers=dict(request.headers), method="POST")
    with urllib.request.urlopen(prepared) as response:
        text = response.read().decode()
    expect("<GetQueueAttributesResponse" in text and f"arn:aws:sqs:{W['region']}:{INVITED}:{QUEUE}" in text, text)


# --- S3 inputs checked as S3 does (S3 User Guide "General purpose bucket naming rules") ---
def s3_input_validation():
    session = assume(W, INVITED, "S3UnlockBucketPolicy")
    s3 = client(W, "s3", session)
    for name in ("Not_A_Bucket", "xn--punycode", "two..periods", "192.168.5.4", "my-bucket-s3alias"):
        got = error_of(lambda: s3.get_bucket_policy(Bucket=name))
        expect(got == ("InvalidBucketName", 400), f"{name}: {got}")
    got = error_of(lambda: s3.delete_bucket_policy(Bucket=BUCKET, ExpectedBucketOwner="999999999999"))
    expect(got == ("AccessDenied", 403), f"ExpectedBucketOwner: {got}")
    # the right owner passes the ownership check (an earlier check deleted the policy)
    got = error_of(lambda: s3.get_bucket_policy(Bucket=BUCKET, ExpectedBucketOwner=INVITED))
    expect(got == ("NoSuchBucketPolicy", 404), f"ExpectedBucketOwner {INVITED}: {got}")


# --- errors with the code and status the service models declare ---
def organizations_errors_as_modelled():
    organizations = client(W, "organizations")
    got = error_of(lambda: organizations.describe_account(AccountId="999999999999"))
    expect(got == ("AccountNotFoundException", 400), got)
    got = error_of(lambda: organizations.list_parents(ChildId="999999999999"))
    expect(got == ("ChildNotFoundException", 400), got)


def query_call(service, creds, body):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="POST", url=W["endpoint"] + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    SigV4Auth(Credentials(creds["accessKeyId"], creds["secretAccessKey"], creds.get("sessionToken")),
              service, W["region"]).add_auth(request)
    prepared = urllib.request.Request(request.url, data=body.encode(), headers=dict(request.headers), method="POST")
    try:
        with urllib.request.urlopen(prepared) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def denied_detail(fn):
    try:
        fn()
    except ClientError as error:
        e = error.response["Error"]
        return e["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"], e.get("Type")
    raise AssertionError("the call succeeded; an error was expected")


def access_denied_per_protocol():
    iam_session = assume(W, INVITED, "IAMDeleteRootUserCredentials")
    s3_session = assume(W, INVITED, "S3UnlockBucketPolicy")
    # query XML (STS, IAM): <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>, 403
    got = denied_detail(lambda: client(W, "sts", iam_session).assume_root(
        TargetPrincipal=CLEAN, TaskPolicyArn={"arn": task_arn(W, "IAMAuditRootUserCredentials")}))
    expect(got == ("AccessDenied", 403, "Sender"), f"sts: {got}")
    got = denied_detail(lambda: client(W, "iam", iam_session).get_account_summary())
    expect(got == ("AccessDenied", 403, "Sender"), f"iam: {got}")
    # JSON 1.1 (Organizations): AccessDeniedException, the status its model declares (400)
    got = error_of(lambda: client(W, "organizations", iam_session).list_accounts())
    expect(got == ("AccessDeniedException", 400), f"organizations: {got}")
    # REST-XML (S3): AccessDenied 403
    got = error_of(lambda: client(W, "s3", iam_session).get_bucket_policy(Bucket=BUCKET))
    expect(got == ("AccessDenied", 403), f"s3: {got}")
    # SQS JSON (query-compatible code in x-amzn-query-error) and SQS query XML: AccessDenied 403
    got = error_of(lambda: client(W, "sqs", s3_session).get_queue_attributes(QueueUrl=queue_url))
    expect(got == ("AccessDenied", 403), f"sqs json: {got}")
    body = f"Action=GetQueueAttributes&Version=2012-11-05&QueueUrl={urllib.parse.quote(queue_url, safe='')}"
    status, text = query_call("sqs", s3_session, body)
    expect(status == 403 and "<Type>Sender</Type><Code>AccessDenied</Code>" in text, f"sqs query: {status} {text}")


# --- Organizations (aws-facts.md "Quotas": 20 accounts a page) ---
def paging():
    organizations = client(OFF, "organizations")
    first = organizations.list_accounts()
    expect(len(first["Accounts"]) == 20 and "NextToken" in first, len(first["Accounts"]))
    total = len(first["Accounts"])
    token = first["NextToken"]
    while token:
        page = organizations.list_accounts(NextToken=token)
        total += len(page["Accounts"])
        token = page.get("NextToken")
    expect(total == OFF["accountCount"], f"{total} != {OFF['accountCount']}")
    got = error_of(lambda: organizations.list_accounts(MaxResults=21))
    expect(got == ("InvalidInputException", 400), got)


# --- errors per protocol under throttling (README "Load and faults") ---
def throttling_codes():
    admin(W, "PUT", "faults", {"throttle": 1})
    try:
        expect(error_of(lambda: client(W, "sts").get_caller_identity()) == ("Throttling", 400), "sts")
        expect(error_of(lambda: client(W, "organizations").list_roots()) == ("TooManyRequestsException", 400), "org")
    finally:
        admin(W, "PUT", "faults", {})


def admin_state_without_secrets():
    session = assume(W, INVITED, "IAMAuditRootUserCredentials")
    text = json.dumps(admin(W, "GET", "state"))
    expect(session["accessKeyId"] in text, "the session is listed")
    expect(session["secretAccessKey"] not in text and session["sessionToken"] not in text, "no secret")
    counts = admin(W, "GET", "metrics")["summary"]
    expect(counts["total"] > 0, counts)


CHECKS = [
    ("AssumeRoot answers ASIA credentials (aws CLI)", ["aws"], assume_root_cli),
    ("AssumeRoot DurationSeconds 901: ValidationError, exit 255 (aws CLI)", ["aws"], duration_901_cli),
    ("AssumeRoot with a policy that is not a root task: ValidationError 400", ["boto3"], bad_task_arn),
    ("AssumeRoot into the management account: AccessDenied 403", ["boto3"], management_target),
    ("AssumeRoot into a SUSPENDED account: AccessDenied 403", ["boto3"], suspended_target),
    ("AssumeRoot with root-session credentials: AccessDenied", ["boto3"], session_cannot_assume),
    ("AssumeRoot with the features off: AccessDenied 403", ["boto3"], features_off),
    ("credentials signed for another partition's region: InvalidClientTokenId 403", ["boto3"], global_partition_region),
    ("delegated administrator may AssumeRoot, may not enable features", ["boto3"], delegated_admin),
    ("audit session: summary allowed, delete denied, caller is :root (aws CLI)", ["aws"], audit_session),
    ("delete-credentials task has no iam:GetAccountSummary: AccessDenied", ["boto3"], audit_excludes_summary_in_delete),
    ("GetLoginProfile without a password: NoSuchEntity 404", ["boto3"], no_login_profile),
    ("CreateLoginProfile twice: EntityAlreadyExists 409", ["boto3"], create_login_profile_twice),
    ("DeleteVirtualMFADevice before deactivating: DeleteConflict 409", ["boto3"], mfa_order),
    ("a session expires when the admin API advances the clock: ExpiredToken", ["boto3"], expiry_through_admin),
    ("a UserName breaking the model's pattern: ValidationError 400", ["boto3"], username_pattern),
    ("bucket policies validated (MalformedPolicy 400), DELETE 204, NoSuchBucketPolicy 404", ["boto3"], s3_policies),
    ("another account's bucket: AccessDenied 403", ["boto3"], s3_other_account),
    ("queue policies validated (InvalidAttributeValue, exit 255), \"\" removes, unknown queue", ["aws", "boto3"], sqs_policies),
    ("a queue URL of another region: InvalidAddress 400", ["boto3"], sqs_other_region_url),
    ("SQS query protocol (form POST, XML answer)", ["boto3"], sqs_query_protocol),
    ("S3 bucket naming rules: InvalidBucketName 400; ExpectedBucketOwner: AccessDenied 403", ["boto3"], s3_input_validation),
    ("Organizations not-found errors: 400 as the model declares", ["boto3"], organizations_errors_as_modelled),
    ("access denied in each protocol's shape (query, JSON, REST-XML, SQS JSON and query)", ["boto3"], access_denied_per_protocol),
    ("ListAccounts: pages of 20 to the end; MaxResults 21 is InvalidInputException", ["boto3"], paging),
    ("throttling codes per protocol (admin API faults)", ["boto3"], throttling_codes),
    ("admin API: state without secrets, call counts", ["boto3"], admin_state_without_secrets),
]

import urllib.error  # noqa: E402  (used by query_call)
import urllib.parse  # noqa: E402  (used by sqs_query_protocol)

print(f"foreign clients: boto3 {'present' if boto3 else 'ABSENT'}, aws CLI {'at ' + AWS if AWS else 'ABSENT'}")
for name, needs, fn in CHECKS:
    check(name, needs, fn)
print(f"conformance: {results['passed']} passed, {results['failed']} failed, {results['skipped']} skipped")
sys.exit(1 if results["failed"] else 0)
