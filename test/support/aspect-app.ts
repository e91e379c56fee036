import { aws_ec2 as ec2 } from 'aws-cdk-lib';

/** The environment, AMI and instance type the aspect tests build their launches with. */
export const env = { account: '111111111111', region: 'eu-west-1' };
export const image = ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' });
export const type = new ec2.InstanceType('t3.micro');
