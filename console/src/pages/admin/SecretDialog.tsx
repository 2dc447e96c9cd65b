// A secret shown once: a warning, the value with a copy button, and a close button after which it
// is gone (the value lives only in the caller's state until then and is never logged).
import { Alert, Button, Modal, Typography } from "antd";
import { L } from "../../i18n";

export interface Secret { name: string; value: string }

export function SecretDialog({ secret, onClose }: { secret: Secret | null; onClose: () => void }) {
  if (!secret) return null;
  return (
    <Modal open destroyOnHidden title={<span><L zh="密钥" en="Secret" /> · {secret.name}</span>} closable={false} maskClosable={false}
           footer={<Button type="primary" onClick={onClose} data-testid="secret-close"><L zh="我已保存，关闭" en="Saved it, close" /></Button>}>
      <Alert type="warning" showIcon style={{ marginBottom: 12 }}
             message={<L zh="密钥只显示这一次，关闭后无法再查看；请立即复制并妥善保存。" en="The secret is shown only now and never again: copy it and keep it safe." />} />
      <Typography.Paragraph className="fc-secret" copyable={{ text: secret.value }} data-testid="secret">{secret.value}</Typography.Paragraph>
    </Modal>
  );
}
