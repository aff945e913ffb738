import boto3

# Uploads the daily report. The keys below were committed by mistake.
AWS_ACCESS_KEY_ID = "AKIAQYLPMN5HHHFPZAM2"
AWS_SECRET_ACCESS_KEY = "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"

def upload(path):
    client = boto3.client("s3", aws_access_key_id=AWS_ACCESS_KEY_ID,
                          aws_secret_access_key=AWS_SECRET_ACCESS_KEY)
    client.upload_file(path, "reports", path)
