#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { CONFIG_CONTEXT_KEY, parseConfig } from '../lib/config';
import { addRootkeeperStacks } from '../lib/rootkeeper-app';

const app = new App();
// A bad value stops synth here, with a message naming it.
const config = parseConfig(app.node.tryGetContext(CONFIG_CONTEXT_KEY));
addRootkeeperStacks(app, config, {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
