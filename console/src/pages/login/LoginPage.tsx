// 登录 Sign in with company, username and password; errors show under the form.
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { ApiError, check, request } from "../../api/client";
import { startSession } from "../../api/session";
import { useAuth } from "../../auth";
import { graphql } from "../../gql";
import { L, useLang, useT } from "../../i18n";

const LoginDoc = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      errors { code message field }
    }
  }
`);

interface Fields {
  organization: string;
  username: string;
  password: string;
}

const ORG_KEY = "firstcall.organization";

export default function LoginPage() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { reload } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const t = useT();
  const { lang, setLang } = useLang();

  async function submit(values: Fields) {
    setBusy(true);
    setError(null);
    try {
      const r = check((await request(LoginDoc, { input: values })).login);
      if (!r.accessToken || !r.refreshToken || !r.accessTokenExpiresAt) throw new ApiError("INTERNAL", "No token");
      localStorage.setItem(ORG_KEY, values.organization);
      startSession({ accessToken: r.accessToken, refreshToken: r.refreshToken, accessTokenExpiresAt: r.accessTokenExpiresAt });
      await reload();
      navigate(params.get("next") || "/", { replace: true });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="fc-login">
      <Card title={<L zh="Firstcall 控制台 · 登录" en="Firstcall console · Sign in" />}
            extra={<Button type="link" onClick={() => setLang(lang === "zh" ? "en" : "zh")}>{lang === "zh" ? "English" : "中文"}</Button>}>
        <Form<Fields> layout="vertical" onFinish={submit} initialValues={{ organization: localStorage.getItem(ORG_KEY) ?? "" }}
                      size="middle" requiredMark={false}>
          <Form.Item name="organization" label={<L zh="公司" en="Company" />} rules={[{ required: true, message: t("请输入公司标识", "Enter the company") }]}>
            <Input autoComplete="organization" placeholder="demo" />
          </Form.Item>
          <Form.Item name="username" label={<L zh="用户名" en="Username" />} rules={[{ required: true, message: t("请输入用户名", "Enter your username") }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={<L zh="密码" en="Password" />} rules={[{ required: true, message: t("请输入密码", "Enter your password") }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            <L zh="登录" en="Sign in" />
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          <L zh="演示账号见 make demo 的输出" en="Demo accounts: see the output of make demo" />
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
