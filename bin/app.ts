#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { RootkeeperStack } from '../lib/rootkeeper-stack';

const app = new App();
new RootkeeperStack(app, 'Rootkeeper', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
